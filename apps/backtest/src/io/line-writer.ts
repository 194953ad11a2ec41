import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Buffered line writer: joins lines into ~1 MiB chunks, so that writing tens of thousands of alert lines
 * costs a handful of syscalls. Writes are synchronous for the replay loop; the stream buffers what the
 * disk has not taken yet (an alert file is small next to the log it comes from).
 */
export class LineWriter {
  private readonly out: WriteStream;
  private chunk: string[] = [];
  private size = 0;
  lines = 0;

  constructor(path: string) {
    this.out = createWriteStream(path, { encoding: 'utf8' });
  }

  write(line: string): void {
    this.chunk.push(line);
    this.size += line.length + 1;
    this.lines++;
    if (this.size >= 1 << 20) this.flush();
  }

  async close(): Promise<void> {
    this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private flush(): void {
    if (this.chunk.length === 0) return;
    this.out.write(this.chunk.join('\n') + '\n');
    this.chunk = [];
    this.size = 0;
  }
}
