import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../test/registry.fixture';
import { parseRegistryText, readRegistryFile } from './registry-file.reader';

describe('registry file reader', () => {
  it('parses a file, with or without a byte-order mark, applying the format defaults', () => {
    const text = '{"sites":[{"id":"s","name":"S","timezone":"Europe/Berlin"}]}';
    for (const t of [text, `\uFEFF${text}`]) {
      const r = parseRegistryText(t);
      expect(r).toEqual({ ok: true, value: { sites: [{ id: 's', name: 'S', timezone: 'Europe/Berlin' }], residents: [], elevators: [], devices: [] } });
    }
  });

  it('names JSON syntax errors and every format problem', () => {
    const broken = parseRegistryText('{"sites": [');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems).toEqual([{ path: '', message: expect.stringMatching(/^not JSON: /) }]);
    const bad = parseRegistryText('{"sites":[{"id":"s","name":"","timezone":"Nowhere/City"}]}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['sites[0].name', 'sites[0].timezone']);
  });

  it('reports an unreadable file as a problem instead of throwing', async () => {
    const dir = tempDir();
    try {
      const missing = await readRegistryFile(path.join(dir, 'missing.json'));
      expect(missing).toEqual({ ok: false, problems: [{ path: '', message: expect.stringContaining('(ENOENT)') }] });
      fs.writeFileSync(path.join(dir, 'ok.json'), '{}');
      await expect(readRegistryFile(path.join(dir, 'ok.json'))).resolves.toMatchObject({ ok: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
