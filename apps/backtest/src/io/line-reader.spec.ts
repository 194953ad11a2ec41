import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support/files.test-helpers';
import { FileFormatError, forEachLine, readJsonLines } from './line-reader';

describe('line reader', () => {
  it('streams lines across chunk boundaries, CRLF, a missing final newline and multi-byte characters', async () => {
    const dir = tempDir();
    const long = 'x'.repeat(5 << 20); // longer than one 4 MiB chunk
    const path = join(dir, 'a.txt');
    writeFileSync(path, `first\r\n${long}\n\n汉字 and émigré\nlast`);
    const lines: string[] = [];
    const n = await forEachLine(path, (l) => lines.push(l));
    expect(n).toBe(5);
    expect(lines.map((l) => l.length)).toEqual([5, long.length, 0, 13, 4]);
    expect(lines[3]).toBe('汉字 and émigré');
  });

  it('reads JSON Lines with a parser, naming the line of a fault', async () => {
    const dir = tempDir();
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, '{"a":1}\n\n{"a":2}\n{"a":\n');
    const parse = (v: unknown) => (typeof v === 'object' && v !== null && 'a' in v ? { ok: true as const, value: v } : { ok: false as const, message: 'no a' });
    await expect(readJsonLines(path, parse)).rejects.toThrow(FileFormatError);
    await expect(readJsonLines(path, parse)).rejects.toThrow(/b.jsonl:4: not JSON/);
    writeFileSync(path, '{"a":1}\n{"b":2}\n');
    await expect(readJsonLines(path, parse)).rejects.toThrow(/b.jsonl:2: no a/);
  });
});
