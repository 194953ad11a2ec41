import { readFile } from 'node:fs/promises';
import { parseRegistryFile, type RegistryFile, type RegistryProblem } from '@hearthbeat/contracts';

export type RegistryFileResult = { ok: true; value: RegistryFile } | { ok: false; problems: RegistryProblem[] };

/**
 * Reads and checks a registry file (protocol.md, "Registry file"): JSON syntax, shapes and cross-references.
 * Every problem comes back with its path, so that an operator can fix the whole file in one go. Used by
 * `hb registry import` and by the platform's start-up import of HB_REGISTRY_FILE.
 */
export async function readRegistryFile(file: string): Promise<RegistryFileResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // Not `instanceof Error`: errors may come from another realm (Jest's sandbox, a vm context).
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    return { ok: false, problems: [{ path: '', message: `cannot read ${file} (${code})` }] };
  }
  return parseRegistryText(text);
}

export function parseRegistryText(text: string): RegistryFileResult {
  let json: unknown;
  try {
    // A leading byte-order mark is common in files saved by Windows editors.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const message = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    return { ok: false, problems: [{ path: '', message: `not JSON: ${message}` }] };
  }
  return parseRegistryFile(json);
}
