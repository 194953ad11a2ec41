import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { removeTempDirs, tempDir, TEMP_DIRS_GLOBAL } from './temp-dir';

describe('tempDir', () => {
  let made: string | undefined;

  // The environment removes the directory only after the file's own afterAll hooks (which stop what uses it).
  afterAll(() => {
    expect(made && fs.existsSync(made)).toBe(true);
  });

  it('makes hb-PREFIX-XXXXXX under the temporary directory and lists it for the test environment to remove', () => {
    made = tempDir('temp-dir-spec');
    expect(path.dirname(made)).toBe(os.tmpdir());
    expect(path.basename(made)).toMatch(/^hb-temp-dir-spec-[0-9A-Za-z]{6}$/);
    expect(fs.statSync(made).isDirectory()).toBe(true);
    expect(Reflect.get(globalThis, TEMP_DIRS_GLOBAL)).toContain(made);
  });
});

describe('removeTempDirs', () => {
  it('removes directories with their contents, and passes over those already gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-temp-dir-spec-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'file.txt'), 'x');
    const gone = path.join(os.tmpdir(), 'hb-temp-dir-spec-gone');
    removeTempDirs([dir, gone]);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
