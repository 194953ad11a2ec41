import { readFileSync } from 'node:fs';
import { parseRegistryFile, type RegistryFile } from '@hearthbeat/contracts';
import { FileFormatError } from './line-reader';

/** Reads and checks a registry file (protocol.md "Registry file"), naming every problem found. */
export function loadRegistryFile(path: string): RegistryFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new FileFormatError(`${path}: not a JSON registry file (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = parseRegistryFile(raw);
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`);
    const more = parsed.problems.length > 5 ? ` (and ${parsed.problems.length - 5} more)` : '';
    throw new FileFormatError(`${path}: invalid registry: ${shown.join('; ')}${more}`);
  }
  return parsed.value;
}
