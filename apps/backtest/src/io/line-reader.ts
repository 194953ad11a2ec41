import { createReadStream } from 'node:fs';

/**
 * Reads a text file line by line without loading it whole (a month of 1,200 homes is ~700 MB): 4 MiB
 * chunks decoded as UTF-8 by the stream (multi-byte characters split across chunks stay intact), split
 * on "\n" by hand, which is several times faster than node:readline. A trailing "\r" is dropped.
 * Yields the lines of each chunk at once (the last line of the file even without a final newline).
 */
export async function* lineBatches(path: string): AsyncGenerator<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 4 << 20 });
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest.length > 0 ? rest + chunk : chunk;
    const lines: string[] = [];
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(from, end));
      from = nl + 1;
    }
    rest = text.slice(from);
    if (lines.length > 0) yield lines;
  }
  if (rest.length > 0) yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** Calls `onLine` for every line, empty ones included, with its 1-based number; returns the count. */
export async function forEachLine(path: string, onLine: (line: string, n: number) => void): Promise<number> {
  let n = 0;
  for await (const lines of lineBatches(path)) for (const line of lines) onLine(line, ++n);
  return n;
}

/** Parses every non-empty line of a JSON Lines file with `parse`; the first failure names the line. */
export async function readJsonLines<T>(path: string, parse: (value: unknown) => { ok: true; value: T } | { ok: false; message: string }): Promise<T[]> {
  const out: T[] = [];
  await forEachLine(path, (line, n) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new FileFormatError(`${path}:${n}: not JSON`);
    }
    const r = parse(value);
    if (!r.ok) throw new FileFormatError(`${path}:${n}: ${r.message}`);
    out.push(r.value);
  });
  return out;
}

/** A line parser for readJsonLines from a zod schema: the first issue, named by its field when it has one. */
export const parseWith =
  <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }) =>
  (v: unknown): { ok: true; value: T } | { ok: false; message: string } => {
    const r = schema.safeParse(v);
    if (r.success) return { ok: true, value: r.data };
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    return { ok: false, message: `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}` };
  };

/** A file the tools read does not have the format protocol.md fixes. */
export class FileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileFormatError';
  }
}
