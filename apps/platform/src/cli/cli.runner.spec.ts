import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { openRegistryStore } from '@hearthbeat/registry';
import { runCli } from './cli.runner';
import type { CliContext } from './cli.types';

/** The runner in-process, with captured streams: what an embedding (tests, a future admin API) gets. */
function context(dataDir: string, input = ''): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stdin: Readable.from([input]),
    env: { HB_DATA_DIR: dataDir },
    openStore: () => openRegistryStore({ dataDir }),
  };
}

describe('runCli in-process', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-runner-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('maps parseArgs errors to usage errors (exit 2) without opening the store', async () => {
    const ctx = context(path.join(dir, 'data'));
    await expect(runCli(['registry', 'export', '--nope'], ctx)).resolves.toBe(2);
    expect(ctx.err.join('')).toContain("Unknown option '--nope'");
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('imports, provisions and sets a password through the given context', async () => {
    const ctx = context(dir, 'a long enough password\n');
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify({ users: [{ id: 'ops', role: 'admin' }], devices: [{ id: 'SA-1', kind: 'smoke_alarm' }] }));
    await expect(runCli(['registry', 'import', file], ctx)).resolves.toBe(0);
    await expect(runCli(['device', 'provision', 'SA-1', '--kind', 'smoke_alarm'], ctx)).resolves.toBe(0);
    await expect(runCli(['user', 'password', 'ops'], ctx)).resolves.toBe(0);
    expect(ctx.err).toEqual([]);
    const secret = /^secret: (\S+)$/m.exec(ctx.out.join(''))?.[1] ?? '';
    const store = await openRegistryStore({ dataDir: dir });
    try {
      await expect(store.verifyDeviceSecret('SA-1', secret)).resolves.toBe(true);
      await expect(store.verifyUserPassword('ops', 'a long enough password')).resolves.toMatchObject({ id: 'ops' });
    } finally {
      store.close();
    }
  });

  it('reports an unexpected failure as exit 1 instead of throwing', async () => {
    const ctx = context(dir);
    ctx.openStore = () => Promise.reject(new Error('disk on fire'));
    await expect(runCli(['registry', 'export'], ctx)).resolves.toBe(1);
    expect(ctx.err.join('')).toContain('disk on fire');
  });
});
