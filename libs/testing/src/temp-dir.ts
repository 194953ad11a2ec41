import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The name, on a Jest test file's global, of the list of temporary directories to remove when the
 * file ends. The test environment of every project (jest-environment.ts, set in jest.preset.js) puts
 * the list there and removes what is on it after the file's last afterAll hook, passing or failing,
 * so whatever a test started in a directory has been stopped by then. Outside Jest (scripts) there
 * is no list, and the caller removes its directory itself.
 */
export const TEMP_DIRS_GLOBAL = '__hearthbeatTempDirs';

/** A new directory `hb-PREFIX-XXXXXX` under the system's temporary directory; under Jest, removed when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hb-${prefix}-`));
  const list: unknown = Reflect.get(globalThis, TEMP_DIRS_GLOBAL);
  if (Array.isArray(list)) list.push(dir);
  return dir;
}

/** Removes the directories (those already gone are fine); one that cannot be removed is reported, not thrown. */
export function removeTempDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      process.stderr.write(`could not remove the test directory ${dir}: ${String(err)}\n`);
    }
  }
}
