import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Buffered line writer: joins lines into ~1 MiB chunks and respects the stream's back-pressure, so that
 * writing millions of lines costs a few hundred syscalls and memory stays flat.
 */
export class LineWriter {
  private readonly out: WriteStream;
  private chunk: string[] = [];
  private chunkBytes = 0;
  bytes = 0;
  lines = 0;

  constructor(
    path: string,
    private readonly chunkLimit = 1 << 20,
  ) {
    this.out = createWriteStream(path, { encoding: 'utf8', highWaterMark: 4 << 20 });
  }

  /**
   * Adds a line (without its newline). Returns a promise only when a chunk went to the disk and must be
   * awaited: awaiting millions of already-settled promises would cost more than the writing.
   */
  write(line: string): Promise<void> | undefined {
    this.chunk.push(line);
    this.chunkBytes += line.length + 1;
    this.lines++;
    return this.chunkBytes >= this.chunkLimit ? this.flush() : undefined;
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const text = this.chunk.join('\n') + '\n';
    this.chunk = [];
    this.chunkBytes = 0;
    this.bytes += Buffer.byteLength(text);
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}
