import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { parseRegistryFile, type RegistryFile } from '@hearthbeat/contracts';

/** The protocol.md example, grown a little: two sites, rules at every level, a user with a password. */
export function sampleFile(): RegistryFile {
  const parsed = parseRegistryFile({
    sites: [
      { id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai', rules: { 'water.no_activity': { windowS: 86400 } } },
      { id: 'longgang', name: 'Longgang', timezone: 'Asia/Shanghai', escalation: { critical: { tiers: [{ afterS: 120, target: 'supervisor' }], reminderEveryS: 60 } } },
    ],
    residents: [
      {
        id: 'R-0001',
        site: 'jiangsu-road',
        name: 'Wang',
        address: 'No. 3, room 502',
        phone: '+86 21 5555 0101',
        devices: ['WM-0001', 'SA-0001'],
        rules: { 'water.no_activity': { minLiters: 5 } },
      },
      { id: 'R-0002', site: 'longgang', name: 'Chen', devices: ['WM-0002'] },
    ],
    elevators: [
      { id: 'EL-0001', site: 'jiangsu-road', building: 'No. 3', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001', rules: { 'elevator.entrapment': { afterS: 30 } } },
    ],
    devices: [
      { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: 'secret-wm-0001' },
      { id: 'WM-0002', kind: 'water_meter', secret: 'secret-wm-0002' },
      { id: 'SA-0001', kind: 'smoke_alarm', secret: 'secret-sa-0001' },
      { id: 'EL-0001', kind: 'elevator', reportIntervalS: 30, secret: 'secret-el-0001' },
      { id: 'SPARE-1', kind: 'smoke_alarm' },
    ],
    users: [
      { id: 'li.bin', name: 'Li Bin', password: 'correct horse', role: 'staff', sites: ['jiangsu-road'] },
      { id: 'ops', role: 'admin' },
    ],
  });
  if (!parsed.ok) throw new Error(`fixture is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

export function tempDir(prefix = 'hb-registry-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A second, raw connection to the store's file: what another process (or an attacker with the file) sees. */
export function rawDb(dataDir: string): Database.Database {
  return new Database(path.join(dataDir, 'registry.sqlite'));
}

export function storedHash(dataDir: string, table: 'devices' | 'users', id: string): string | null {
  const db = rawDb(dataDir);
  try {
    const column = table === 'devices' ? 'secret_hash' : 'password_hash';
    const value: unknown = db.prepare(`SELECT ${column} FROM ${table} WHERE id = ?`).pluck().get(id);
    return typeof value === 'string' ? value : null;
  } finally {
    db.close();
  }
}
