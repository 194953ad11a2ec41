import * as fs from 'node:fs';
import { sampleFile, storedHash, tempDir } from '../test/registry.fixture';
import { RegistryConflictError, RegistryNotFoundError, RegistryValidationError } from './registry.errors';
import { SqliteRegistryStore, openRegistryStore } from './sqlite-registry.store';

describe('SqliteRegistryStore: secrets, passwords and provisioning', () => {
  let dir: string;
  let store: SqliteRegistryStore;
  beforeEach(async () => {
    dir = tempDir();
    store = await openRegistryStore({ dataDir: dir });
    await store.importRegistry(sampleFile());
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies device secrets from the file, refusing wrong secrets and unknown devices', async () => {
    await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(true);
    await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0002')).resolves.toBe(false);
    await expect(store.verifyDeviceSecret('WM-0002', 'secret-wm-0001')).resolves.toBe(false);
    await expect(store.verifyDeviceSecret('NOPE', 'secret-wm-0001')).resolves.toBe(false);
    // A device imported without a secret cannot connect until it is provisioned.
    await expect(store.verifyDeviceSecret('SPARE-1', '')).resolves.toBe(false);
  });

  it('answers repeat verifications from the cache, never caching a failure', async () => {
    await store.verifyDeviceSecret('WM-0001', 'secret-wm-0001');
    const first = store.deviceAuthStats();
    for (let i = 0; i < 5; i++) await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(true);
    expect(store.deviceAuthStats()).toEqual({ cacheHits: first.cacheHits + 5, scryptChecks: first.scryptChecks, cachedSecrets: first.cachedSecrets });
    for (let i = 0; i < 2; i++) await expect(store.verifyDeviceSecret('WM-0001', 'wrong')).resolves.toBe(false);
    expect(store.deviceAuthStats().scryptChecks).toBe(first.scryptChecks + 2);
  });

  it('needs no scrypt for the first check of a secret it has just imported or provisioned', async () => {
    await expect(store.verifyDeviceSecret('SA-0001', 'secret-sa-0001')).resolves.toBe(true);
    const { secret } = await store.provisionDevice({ id: 'WM-0100', kind: 'water_meter' });
    await expect(store.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(true);
    expect(store.deviceAuthStats()).toMatchObject({ cacheHits: 2, scryptChecks: 0 });
    // A fresh process has an empty cache: the first check is scrypt, the next ones are not.
    const other = SqliteRegistryStore.open({ dataDir: dir });
    try {
      await expect(other.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(true);
      await expect(other.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(true);
      expect(other.deviceAuthStats()).toEqual({ cacheHits: 1, scryptChecks: 1, cachedSecrets: 1 });
    } finally {
      other.close();
    }
  });

  it('re-importing a new secret invalidates the cached one', async () => {
    await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(true);
    const file = sampleFile();
    file.devices[0]!.secret = 'rotated-secret-0001';
    expect((await store.importRegistry(file)).changed).toBe(1);
    await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(false);
    await expect(store.verifyDeviceSecret('WM-0001', 'rotated-secret-0001')).resolves.toBe(true);
  });

  it('provisions: a 256-bit secret returned once, stored only as a hash', async () => {
    const { device, secret } = await store.provisionDevice({ id: 'WM-0100', kind: 'water_meter' });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(device).toEqual({ id: 'WM-0100', kind: 'water_meter', reportIntervalS: 900 });
    expect(store.getDevice('WM-0100')).toEqual(device);
    const hash = storedHash(dir, 'devices', 'WM-0100');
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain(secret);
    await expect(store.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(true);
    expect(JSON.stringify(store.exportRegistry())).not.toContain(secret);
  });

  it('re-keys on a second provisioning: the old secret is refused even though it was cached', async () => {
    const first = await store.provisionDevice({ id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 1800 });
    await expect(store.verifyDeviceSecret('SA-0001', first.secret)).resolves.toBe(true);
    await expect(store.verifyDeviceSecret('SA-0001', 'secret-sa-0001')).resolves.toBe(false);
    const second = await store.provisionDevice({ id: 'SA-0001', kind: 'smoke_alarm' });
    expect(second.secret).not.toBe(first.secret);
    await expect(store.verifyDeviceSecret('SA-0001', first.secret)).resolves.toBe(false);
    await expect(store.verifyDeviceSecret('SA-0001', second.secret)).resolves.toBe(true);
    // Re-keying keeps the subject and the configured interval.
    expect(second.device).toEqual({ id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 1800, subject: { type: 'resident', id: 'R-0001', site: 'jiangsu-road' } });
  });

  it('an import without a secret keeps the provisioned one', async () => {
    const { secret } = await store.provisionDevice({ id: 'SPARE-1', kind: 'smoke_alarm' });
    const hash = storedHash(dir, 'devices', 'SPARE-1');
    expect((await store.importRegistry(sampleFile())).changed).toBe(0);
    expect(storedHash(dir, 'devices', 'SPARE-1')).toBe(hash);
    await expect(store.verifyDeviceSecret('SPARE-1', secret)).resolves.toBe(true);
  });

  it('refuses to provision a kind the device owner cannot use, or a bad id', async () => {
    await expect(store.provisionDevice({ id: 'EL-0001', kind: 'water_meter' })).rejects.toThrow(RegistryConflictError);
    await expect(store.provisionDevice({ id: 'bad id!', kind: 'water_meter' })).rejects.toThrow(RegistryValidationError);
    await expect(store.provisionDevice({ id: 'WM-X', kind: 'water_meter', reportIntervalS: 0 })).rejects.toThrow(/reportIntervalS/);
    expect(store.getDevice('EL-0001')?.kind).toBe('elevator');
    await expect(store.verifyDeviceSecret('EL-0001', 'secret-el-0001')).resolves.toBe(true);
  });

  it('verifies user passwords and changes them', async () => {
    await expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toEqual({ id: 'li.bin', name: 'Li Bin', role: 'staff', sites: ['jiangsu-road'] });
    await expect(store.verifyUserPassword('li.bin', 'Correct horse')).resolves.toBeUndefined();
    await expect(store.verifyUserPassword('nobody', 'correct horse')).resolves.toBeUndefined();
    // A user imported without a password cannot log in until one is set.
    await expect(store.verifyUserPassword('ops', '')).resolves.toBeUndefined();
    await store.setUserPassword('ops', 'a much longer passphrase');
    expect(storedHash(dir, 'users', 'ops')).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(store.verifyUserPassword('ops', 'a much longer passphrase')).resolves.toMatchObject({ id: 'ops', role: 'admin' });
    // The file is authoritative for what it lists (docs/registry.md): its password comes back on re-import.
    await store.setUserPassword('li.bin', 'battery staple');
    await expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toBeUndefined();
    expect((await store.importRegistry(sampleFile())).changed).toBe(1);
    await expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toBeDefined();
    await expect(store.verifyUserPassword('li.bin', 'battery staple')).resolves.toBeUndefined();
  });

  it('refuses short passwords and unknown users', async () => {
    await expect(store.setUserPassword('ops', 'short')).rejects.toThrow(RegistryValidationError);
    await expect(store.setUserPassword('nobody', 'long enough password')).rejects.toThrow(RegistryNotFoundError);
  });

  it('serialises concurrent writes: two imports of one file at once report the changes once', async () => {
    const dir2 = tempDir();
    const fresh = SqliteRegistryStore.open({ dataDir: dir2 });
    try {
      const [a, b] = await Promise.all([fresh.importRegistry(sampleFile()), fresh.importRegistry(sampleFile())]);
      expect([a.changed, b.changed]).toEqual([12, 0]);
    } finally {
      fresh.close();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('keeps a consistent state under interleaved imports, provisioning, passwords and verifications', async () => {
    const rotated = sampleFile();
    rotated.devices[1]!.secret = 'rotated-secret-0002';
    const results = await Promise.all([
      store.provisionDevice({ id: 'WM-0200', kind: 'water_meter' }),
      store.importRegistry(rotated),
      store.verifyDeviceSecret('WM-0001', 'secret-wm-0001'),
      store.provisionDevice({ id: 'WM-0201', kind: 'water_meter' }),
      store.setUserPassword('ops', 'another long password'),
      store.provisionDevice({ id: 'WM-0200', kind: 'water_meter' }),
      ...Array.from({ length: 20 }, () => store.verifyDeviceSecret('EL-0001', 'secret-el-0001')),
    ]);
    const [p1, report, wm1, p2, , p3, ...elevatorChecks] = results;
    expect(report).toMatchObject({ changed: 1 });
    expect(wm1).toBe(true);
    expect(elevatorChecks.every((ok) => ok === true)).toBe(true);
    if (typeof p1 !== 'object' || typeof p2 !== 'object' || typeof p3 !== 'object' || !p1 || !p2 || !p3 || !('secret' in p1) || !('secret' in p2) || !('secret' in p3)) {
      throw new Error('provisioning results missing');
    }
    // The second provisioning of WM-0200 ran after the first: only its secret is valid.
    await expect(store.verifyDeviceSecret('WM-0200', p1.secret)).resolves.toBe(false);
    await expect(store.verifyDeviceSecret('WM-0200', p3.secret)).resolves.toBe(true);
    await expect(store.verifyDeviceSecret('WM-0201', p2.secret)).resolves.toBe(true);
    await expect(store.verifyDeviceSecret('WM-0002', 'rotated-secret-0002')).resolves.toBe(true);
    await expect(store.verifyUserPassword('ops', 'another long password')).resolves.toBeDefined();
  });

  it('sees what another process committed: a device provisioned elsewhere, a re-key elsewhere', async () => {
    const watcher = SqliteRegistryStore.open({ dataDir: dir, externalChangeCheckMs: 0 });
    try {
      await expect(watcher.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(true);
      const { secret } = await store.provisionDevice({ id: 'WM-0300', kind: 'water_meter' });
      expect(watcher.getDevice('WM-0300')).toMatchObject({ id: 'WM-0300', kind: 'water_meter' });
      await expect(watcher.verifyDeviceSecret('WM-0300', secret)).resolves.toBe(true);
      const rekey = await store.provisionDevice({ id: 'WM-0001', kind: 'water_meter' });
      await expect(watcher.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(false);
      await expect(watcher.verifyDeviceSecret('WM-0001', rekey.secret)).resolves.toBe(true);
    } finally {
      watcher.close();
    }
  });

  it('throttles the look for other processes\' changes, and refresh() forces it', async () => {
    const watcher = SqliteRegistryStore.open({ dataDir: dir, externalChangeCheckMs: 60_000 });
    try {
      await store.provisionDevice({ id: 'WM-0400', kind: 'water_meter' });
      expect(watcher.getDevice('WM-0400')).toBeUndefined();
      expect(watcher.refresh()).toBe(true);
      expect(watcher.getDevice('WM-0400')).toBeDefined();
      expect(watcher.refresh()).toBe(false);
    } finally {
      watcher.close();
    }
  });
});
