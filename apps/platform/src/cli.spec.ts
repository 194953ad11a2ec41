import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRegistryFile } from '@hearthbeat/contracts';
import { openRegistryStore } from '@hearthbeat/registry';
import { builtEntry } from '@hearthbeat/testing';

/*
 * The CLI as operators run it: the built dist/cli.js in a child process, against a temporary HB_DATA_DIR,
 * checking exit statuses and output. A missing or stale dist is refused (builtEntry), so these tests
 * never exercise old code.
 */
const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'apps/platform/dist/cli.js');

const REGISTRY = {
  sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
  residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'] }],
  elevators: [{ id: 'EL-0001', site: 'jiangsu-road', building: 'No. 3', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
  devices: [
    { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-wm-0001' },
    { id: 'SA-0001', kind: 'smoke_alarm', secret: 'secret-sa-0001' },
    { id: 'EL-0001', kind: 'elevator' },
  ],
  users: [{ id: 'li.bin', password: 'correct horse', role: 'staff', sites: ['jiangsu-road'] }],
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;

function hb(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  // Only the variables this test sets: an HB_* variable of the machine must not leak in.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HB_')));
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { ...env, HB_DATA_DIR: path.join(dir, 'data'), ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

async function withStore<T>(fn: (store: Awaited<ReturnType<typeof openRegistryStore>>) => Promise<T>): Promise<T> {
  const store = await openRegistryStore({ dataDir: path.join(dir, 'data') });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

beforeAll(() => {
  // Refuses a missing or stale build (npm test builds first); tests never build, as parallel runs would race on dist/.
  builtEntry(ROOT, 'apps/platform', 'cli.js');
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hb help and usage errors', () => {
  it('prints the command list with --help (exit 0) and on stderr without a command (exit 2)', () => {
    const help = hb(['--help']);
    expect(help.status).toBe(0);
    for (const c of ['registry import FILE', 'registry export [--out FILE]', 'device provision ID --kind', 'user password ID']) expect(help.stdout).toContain(c);
    const none = hb([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('registry import FILE');
  });

  it.each([
    [['registry', 'import', '--help'], 'Usage: hb registry import FILE'],
    [['registry', 'export', '-h'], 'Usage: hb registry export [--out FILE]'],
    [['device', 'provision', '--help'], 'Usage: hb device provision ID --kind water_meter|smoke_alarm|elevator [--interval S]'],
    [['user', 'password', '--help'], 'Usage: hb user password ID [--password PASSWORD]'],
  ])('%j prints that command\'s help', (args, usage) => {
    const r = hb(args);
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(usage)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['registry', 'delete'], 'unknown command "registry delete"'],
    [['registry', 'import'], 'missing FILE'],
    [['registry', 'import', 'a.json', 'b.json'], 'unexpected argument "b.json"'],
    [['registry', 'export', '--bogus'], "Unknown option '--bogus'"],
    [['device', 'provision', 'WM-1'], '--kind is required'],
    [['device', 'provision', 'WM-1', '--kind', 'toaster'], '--kind must be one of water_meter, smoke_alarm, elevator'],
    [['device', 'provision', 'WM-1', '--kind', 'water_meter', '--interval', '0'], '--interval must be a whole number'],
    [['device', 'provision', 'WM-1', '--kind', 'water_meter', '--interval', '15m'], '--interval must be a whole number'],
    [['device', 'provision', 'bad id', '--kind', 'water_meter'], 'device id "bad id" must match'],
    [['user', 'password'], 'missing ID'],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = hb(args);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/Run "hb .*--help" for usage/);
    expect(r.status).toBe(2);
  });

  it('names a wrong HB_* variable (exit 1)', () => {
    const r = hb(['registry', 'export'], { env: { HB_MQTT_PORT: 'abc' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('HB_MQTT_PORT');
  });
});

describe('hb registry', () => {
  it('imports a file, then reports changed: 0 when importing it again', () => {
    const file = writeJson('registry.json', REGISTRY);
    const first = hb(['registry', 'import', file]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('sites 1, residents 1, elevators 1, devices 3, users 1');
    expect(first.stdout).toContain('changed: 7');
    expect(fs.existsSync(path.join(dir, 'data', 'registry.sqlite'))).toBe(true);
    const second = hb(['registry', 'import', file]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('changed: 0');
  });

  it('refuses an invalid file listing every problem with its path, and changes nothing', async () => {
    const bad = structuredClone(REGISTRY);
    bad.residents[0]!.site = 'nowhere';
    bad.devices[0]!.reportIntervalS = -5;
    bad.elevators[0]!.device = 'WM-0001';
    const r = hb(['registry', 'import', writeJson('bad.json', bad)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('devices[0].reportIntervalS:');
    // Shape errors come first; once fixed, the cross-references are checked and all of them listed.
    bad.devices[0]!.reportIntervalS = 60;
    const again = hb(['registry', 'import', writeJson('bad.json', bad)]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('(3 problems)');
    expect(again.stderr).toContain('residents[0].site: unknown site "nowhere"');
    expect(again.stderr).toContain('elevators[0].device: device "WM-0001" is of kind water_meter; expected elevator');
    expect(again.stderr).toContain('elevators[0].device: device "WM-0001" already belongs to resident R-0001');
    await withStore(async (store) => expect(store.listSites()).toEqual([]));
  });

  it('reports files that are missing or not JSON (exit 1)', () => {
    const missing = hb(['registry', 'import', path.join(dir, 'nope.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"sites": [');
    const broken = hb(['registry', 'import', path.join(dir, 'broken.json')]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('(file): not JSON');
  });

  it('refuses a file that contradicts the stored registry (exit 1), naming the problem', () => {
    expect(hb(['registry', 'import', writeJson('registry.json', REGISTRY)]).status).toBe(0);
    const other = {
      sites: REGISTRY.sites,
      residents: [{ id: 'R-0002', site: 'jiangsu-road', devices: ['WM-0001'] }],
      devices: [{ id: 'WM-0001', kind: 'water_meter' }],
    };
    const r = hb(['registry', 'import', writeJson('other.json', other)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('residents[0].devices[0]: device "WM-0001" already belongs to resident R-0001 in the stored registry');
  });

  it('exports to stdout without secrets; the export imports back with changed: 0', () => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
    const r = hb(['registry', 'export']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/secret|password|scrypt/i);
    const parsed = parseRegistryFile(JSON.parse(r.stdout));
    expect(parsed.ok).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ sites: REGISTRY.sites, users: [{ id: 'li.bin', role: 'staff', sites: ['jiangsu-road'] }] });
    const reimport = hb(['registry', 'import', writeJson('exported.json', JSON.parse(r.stdout))]);
    expect(reimport.stdout).toContain('changed: 0');
  });

  it('exports to a file with --out', () => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
    const out = path.join(dir, 'backup.json');
    const r = hb(['registry', 'export', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`exported the registry to ${out}: sites 1, residents 1, elevators 1, devices 3, users 1`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toBe(hb(['registry', 'export']).stdout);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('hb device provision', () => {
  it('prints a secret once, which then verifies through the store; provisioning again re-keys', async () => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
    const first = hb(['device', 'provision', 'WM-0100', '--kind', 'water_meter', '--interval', '600']);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('provisioned device WM-0100 (water_meter, reports every 600 s, not assigned');
    expect(first.stdout).toContain('will not be shown again');
    const secrets = [...first.stdout.matchAll(/^secret: (\S+)$/gm)].map((m) => m[1]);
    expect(secrets).toHaveLength(1);
    const secret = secrets[0] ?? '';
    expect(first.stdout.split(secret)).toHaveLength(2);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const second = hb(['device', 'provision', 'WM-0100', '--kind', 'water_meter']);
    const newSecret = /^secret: (\S+)$/m.exec(second.stdout)?.[1] ?? '';
    expect(second.stdout).toContain('reports every 600 s');
    expect(newSecret).not.toBe(secret);
    await withStore(async (store) => {
      expect(store.getDevice('WM-0100')).toEqual({ id: 'WM-0100', kind: 'water_meter', reportIntervalS: 600 });
      await expect(store.verifyDeviceSecret('WM-0100', newSecret)).resolves.toBe(true);
      await expect(store.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(false);
    });
    expect(hb(['registry', 'export']).stdout).not.toContain(newSecret);
  });

  it('provisions a device the registry assigns, showing its subject', async () => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
    const r = hb(['device', 'provision', 'EL-0001', '--kind', 'elevator']);
    expect(r.stdout).toContain('provisioned device EL-0001 (elevator, reports every 30 s, elevator EL-0001 at jiangsu-road)');
    const secret = /^secret: (\S+)$/m.exec(r.stdout)?.[1] ?? '';
    await withStore(async (store) => expect(store.verifyDeviceSecret('EL-0001', secret)).resolves.toBe(true));
  });

  it('refuses a kind the owning subject cannot use (exit 1)', () => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
    const r = hb(['device', 'provision', 'EL-0001', '--kind', 'smoke_alarm']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('belongs to elevator EL-0001');
    expect(r.stdout).not.toContain('secret:');
  });
});

describe('hb user password', () => {
  beforeEach(() => {
    hb(['registry', 'import', writeJson('registry.json', REGISTRY)]);
  });

  it('reads the new password from stdin', async () => {
    const r = hb(['user', 'password', 'li.bin'], { input: 'battery staple horse\n' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('password of user li.bin changed');
    await withStore(async (store) => {
      await expect(store.verifyUserPassword('li.bin', 'battery staple horse')).resolves.toMatchObject({ id: 'li.bin' });
      await expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toBeUndefined();
    });
  });

  it('takes --password', async () => {
    expect(hb(['user', 'password', 'li.bin', '--password', 'from the option']).status).toBe(0);
    await withStore(async (store) => expect(store.verifyUserPassword('li.bin', 'from the option')).resolves.toBeDefined());
  });

  it('refuses an unknown user, a short password and an empty one, changing nothing', async () => {
    const unknown = hb(['user', 'password', 'nobody'], { input: 'long enough password' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown user "nobody"');
    const short = hb(['user', 'password', 'li.bin'], { input: 'short' });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('password');
    const empty = hb(['user', 'password', 'li.bin']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('no password given');
    await withStore(async (store) => expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toBeDefined());
  });
});
