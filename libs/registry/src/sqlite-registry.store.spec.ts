import { MIGRATIONS } from './registry-schema.migrations';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRegistryFile, type RegistryFile } from '@hearthbeat/contracts';
import { rawDb, sampleFile, storedHash, tempDir } from '../test/registry.fixture';
import { RegistryConflictError, RegistryNotFoundError, RegistryValidationError } from './registry.errors';
import { SqliteRegistryStore, openRegistryStore } from './sqlite-registry.store';

/** The file as export must give it back: secrets and passwords removed. */
function withoutSecrets(file: RegistryFile): RegistryFile {
  const copy = structuredClone(file);
  for (const d of copy.devices) delete d.secret;
  for (const u of copy.users ?? []) delete u.password;
  return copy;
}

describe('SqliteRegistryStore: import, export and reads', () => {
  let dir: string;
  let store: SqliteRegistryStore;
  beforeEach(async () => {
    dir = tempDir();
    store = await openRegistryStore({ dataDir: dir });
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates <dataDir>/registry.sqlite in WAL mode with a schema version', () => {
    expect(store.file).toBe(path.join(dir, 'registry.sqlite'));
    const db = rawDb(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(MIGRATIONS.length);
    db.close();
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it('imports a file and reports every entity as changed the first time', async () => {
    const report = await store.importRegistry(sampleFile());
    expect(report).toEqual({ sites: 2, residents: 2, elevators: 1, devices: 5, users: 2, changed: 12 });
    expect(store.listSites().map((s) => s.id)).toEqual(['jiangsu-road', 'longgang']);
    expect(store.getResident('R-0001')).toMatchObject({ name: 'Wang', address: 'No. 3, room 502', devices: ['WM-0001', 'SA-0001'] });
    expect(store.getElevator('EL-0001')).toMatchObject({ minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75 });
    expect(store.listUsers()).toEqual([
      { id: 'li.bin', name: 'Li Bin', role: 'staff', sites: ['jiangsu-road'] },
      { id: 'ops', role: 'admin', sites: [] },
    ]);
  });

  it('is idempotent: the same file again changes nothing and keeps the stored hashes', async () => {
    await store.importRegistry(sampleFile());
    const deviceHash = storedHash(dir, 'devices', 'WM-0001');
    const userHash = storedHash(dir, 'users', 'li.bin');
    expect(deviceHash).toMatch(/^scrypt\$1024\$/);
    expect(userHash).toMatch(/^scrypt\$16384\$/);
    const again = await store.importRegistry(sampleFile());
    expect(again.changed).toBe(0);
    // A fresh salt would change the hash: equal strings prove the secrets were not re-hashed.
    expect(storedHash(dir, 'devices', 'WM-0001')).toBe(deviceHash);
    expect(storedHash(dir, 'users', 'li.bin')).toBe(userHash);
  });

  it('updates what changed, counting only the changed entities', async () => {
    await store.importRegistry(sampleFile());
    const file = sampleFile();
    file.residents[0]!.phone = '+86 21 5555 0199';
    file.elevators[0]!.maxFloor = 20;
    file.sites[1]!.rules = { 'water.high_use': { litersPerDay: 800 } };
    file.devices[1]!.reportIntervalS = 600;
    const report = await store.importRegistry(file);
    expect(report.changed).toBe(4);
    expect(store.getResident('R-0001')?.phone).toBe('+86 21 5555 0199');
    expect(store.getDevice('EL-0001')?.floorRange).toEqual({ min: -1, max: 20 });
    expect(store.getSite('longgang')?.rules).toEqual({ 'water.high_use': { litersPerDay: 800 } });
    expect(store.getDevice('WM-0002')?.reportIntervalS).toBe(600);
  });

  it('treats rule overrides with keys in another order as unchanged', async () => {
    const a = sampleFile();
    a.sites[0]!.rules = { 'water.no_activity': { windowS: 86400, minLiters: 3 }, 'smoke.alarm': { cooldownS: 60 } };
    await store.importRegistry(a);
    const b = sampleFile();
    b.sites[0]!.rules = { 'smoke.alarm': { cooldownS: 60 }, 'water.no_activity': { minLiters: 3, windowS: 86400 } };
    expect((await store.importRegistry(b)).changed).toBe(0);
  });

  it('upserts: entities missing from a later file stay', async () => {
    await store.importRegistry(sampleFile());
    const partial = parse({
      sites: [{ id: 'new-site', name: 'New', timezone: 'Europe/Berlin' }],
      residents: [{ id: 'R-0100', site: 'new-site', devices: ['WM-0100'] }],
      devices: [{ id: 'WM-0100', kind: 'water_meter' }],
    });
    expect((await store.importRegistry(partial)).changed).toBe(3);
    expect(store.listSites()).toHaveLength(3);
    expect(store.listResidents().map((r) => r.id)).toEqual(['R-0001', 'R-0002', 'R-0100']);
    expect(store.getDevice('WM-0001')).toBeDefined();
  });

  it('changes nothing when the file is invalid, and names every problem', async () => {
    await store.importRegistry(sampleFile());
    const before = store.exportRegistry();
    const bad = sampleFile();
    bad.sites[0]!.name = 'Renamed'; // valid on its own: must not be applied either
    bad.residents[1]!.site = 'nowhere';
    bad.elevators[0]!.device = 'WM-0001';
    const err = await store.importRegistry(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryValidationError);
    expect((err as RegistryValidationError).problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['residents[1].site', 'elevators[0].device']),
    );
    expect(store.exportRegistry()).toEqual(before);
  });

  it('refuses a file that contradicts stored subjects it does not mention', async () => {
    await store.importRegistry(sampleFile());
    const before = store.exportRegistry();
    const file = parse({
      sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road (renamed)', timezone: 'Asia/Shanghai' }],
      residents: [{ id: 'R-0009', site: 'jiangsu-road', devices: ['WM-0001'] }],
      devices: [
        { id: 'WM-0001', kind: 'water_meter' },
        { id: 'EL-0001', kind: 'smoke_alarm' },
      ],
    });
    const err = await store.importRegistry(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryConflictError);
    expect((err as RegistryConflictError).problems).toEqual([
      { path: 'residents[0].devices[0]', message: 'device "WM-0001" already belongs to resident R-0001 in the stored registry' },
      { path: 'devices[1].kind', message: 'device "EL-0001" belongs to elevator EL-0001 in the stored registry, which needs kind elevator' },
    ]);
    expect(store.exportRegistry()).toEqual(before);
  });

  it('moves a device between subjects when the file redefines both', async () => {
    await store.importRegistry(sampleFile());
    const file = sampleFile();
    file.residents[0]!.devices = ['WM-0001'];
    file.residents[1]!.devices = ['WM-0002', 'SA-0001'];
    expect((await store.importRegistry(file)).changed).toBe(2);
    expect(store.getDevice('SA-0001')?.subject).toEqual({ type: 'resident', id: 'R-0002', site: 'longgang' });
  });

  it('rolls the whole import back when the database refuses part of it', async () => {
    await store.importRegistry(sampleFile());
    const before = store.exportRegistry();
    const db = rawDb(dir);
    db.exec("CREATE TRIGGER no_boom BEFORE INSERT ON users WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    db.close();
    const file = sampleFile();
    file.sites[0]!.name = 'Renamed';
    file.users!.push({ id: 'boom', role: 'staff', sites: [] });
    // Matched by shape: better-sqlite3's SqliteError may come from another Jest realm than this file's Error.
    await expect(store.importRegistry(file)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'refused' });
    expect(store.exportRegistry()).toEqual(before);
    expect(store.getSite('jiangsu-road')?.name).toBe('Jiangsu Road');
  });

  it('exports the file format without any secret, password or hash', async () => {
    await store.importRegistry(sampleFile());
    const exported = store.exportRegistry();
    const text = JSON.stringify(exported);
    expect(text).not.toMatch(/secret|password|scrypt/i);
    const expected = withoutSecrets(sampleFile());
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(exported).toEqual({
      ...expected,
      devices: [...expected.devices].sort(byId),
    });
  });

  it('round-trips: importing its own export changes nothing, in this store or a fresh one', async () => {
    await store.importRegistry(sampleFile());
    store.setAway('R-0002', [{ from: 1_000, to: 2_000, note: 'with daughter' }]);
    const exported = store.exportRegistry();
    expect((await store.importRegistry(exported)).changed).toBe(0);
    const otherDir = tempDir();
    const other = SqliteRegistryStore.open({ dataDir: otherDir });
    try {
      await other.importRegistry(exported);
      expect(other.exportRegistry()).toEqual(exported);
    } finally {
      other.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('builds device records: defaults, subjects with their site, elevator floors and speed', async () => {
    await store.importRegistry(sampleFile());
    expect(store.getDevice('WM-0001')).toEqual({
      id: 'WM-0001',
      kind: 'water_meter',
      reportIntervalS: 900,
      subject: { type: 'resident', id: 'R-0001', site: 'jiangsu-road' },
    });
    expect(store.getDevice('SA-0001')?.reportIntervalS).toBe(3600);
    expect(store.getDevice('EL-0001')).toEqual({
      id: 'EL-0001',
      kind: 'elevator',
      reportIntervalS: 30,
      subject: { type: 'elevator', id: 'EL-0001', site: 'jiangsu-road' },
      floorRange: { min: -1, max: 18 },
      ratedSpeedMps: 1.75,
    });
    expect(store.getDevice('SPARE-1')).toEqual({ id: 'SPARE-1', kind: 'smoke_alarm', reportIntervalS: 3600 });
    expect(store.getDevice('nope')).toBeUndefined();
    expect(store.listDevices().map((d) => d.id)).toEqual(['EL-0001', 'SA-0001', 'SPARE-1', 'WM-0001', 'WM-0002']);
  });

  it('hands out frozen records, so that no caller can change the shared cache', async () => {
    await store.importRegistry(sampleFile());
    const d = store.getDevice('EL-0001');
    expect(Object.isFrozen(d)).toBe(true);
    expect(Object.isFrozen(d?.floorRange)).toBe(true);
    expect(Object.isFrozen(store.getResident('R-0001')?.devices)).toBe(true);
    // The export is a copy: editing it is allowed and changes nothing stored.
    const exported = store.exportRegistry();
    exported.sites[0]!.name = 'edited';
    expect(store.getSite('jiangsu-road')?.name).toBe('Jiangsu Road');
  });

  it('gives rule layers least specific first', async () => {
    await store.importRegistry(sampleFile());
    expect(store.ruleLayers({ type: 'resident', id: 'R-0001' })).toEqual([
      { 'water.no_activity': { windowS: 86400 } },
      { 'water.no_activity': { minLiters: 5 } },
    ]);
    expect(store.ruleLayers({ type: 'elevator', id: 'EL-0001' })).toEqual([{ 'water.no_activity': { windowS: 86400 } }, { 'elevator.entrapment': { afterS: 30 } }]);
    expect(store.ruleLayers({ type: 'resident', id: 'R-0002' })).toEqual([undefined, undefined]);
    expect(store.ruleLayers({ type: 'resident', id: 'unknown' })).toEqual([undefined, undefined]);
  });

  it('sets away periods; an import without "away" keeps them, one with "away" replaces them', async () => {
    await store.importRegistry(sampleFile());
    const away = [{ from: 1_763_683_200_000, to: 1_763_856_000_000, note: 'staying with daughter' }];
    store.setAway('R-0001', away);
    expect(store.getResident('R-0001')?.away).toEqual(away);
    expect((await store.importRegistry(sampleFile())).changed).toBe(0);
    expect(store.getResident('R-0001')?.away).toEqual(away);
    const file = sampleFile();
    file.residents[0]!.away = [];
    expect((await store.importRegistry(file)).changed).toBe(1);
    expect(store.getResident('R-0001')?.away).toEqual([]);
  });

  it('refuses bad away periods and unknown residents', async () => {
    await store.importRegistry(sampleFile());
    expect(() => store.setAway('R-0001', [{ from: 10, to: 5 }])).toThrow(RegistryValidationError);
    expect(() => store.setAway('R-0001', [{ from: 10, to: 5 }])).toThrow(/away\[0\]\.to/);
    expect(() => store.setAway('R-9999', [])).toThrow(RegistryNotFoundError);
    expect(store.getResident('R-0001')?.away).toBeUndefined();
  });

  it('keeps everything across close and reopen', async () => {
    await store.importRegistry(sampleFile());
    store.setAway('R-0002', [{ from: 5, to: 6 }]);
    const { secret } = await store.provisionDevice({ id: 'WM-0100', kind: 'water_meter', reportIntervalS: 300 });
    const exported = store.exportRegistry();
    store.close();
    store = await openRegistryStore({ dataDir: dir });
    expect(store.exportRegistry()).toEqual(exported);
    expect(store.getDevice('WM-0100')?.reportIntervalS).toBe(300);
    await expect(store.verifyDeviceSecret('WM-0100', secret)).resolves.toBe(true);
    await expect(store.verifyDeviceSecret('WM-0001', 'secret-wm-0001')).resolves.toBe(true);
    await expect(store.verifyUserPassword('li.bin', 'correct horse')).resolves.toMatchObject({ id: 'li.bin' });
    expect((await store.importRegistry(sampleFile())).changed).toBe(0);
  });

  it('refuses use after close', async () => {
    store.close();
    expect(() => store.getDevice('WM-0001')).toThrow(/closed/);
    await expect(store.importRegistry(sampleFile())).rejects.toThrow(/closed/);
    store.close(); // twice is harmless
  });
});

/** Partial files in tests go through the contracts' parser, as the CLI's files do. */
function parse(input: unknown): RegistryFile {
  const r = parseRegistryFile(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}
