import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RegistryFile } from '@hearthbeat/contracts';
import { openRegistryStore, type SqliteRegistryStore } from '@hearthbeat/registry';

/** Credentials of the test fleet; secrets are long enough for the registry's schema (8+ chars). */
export const SECRETS = {
  'WM-0001': 'wm-0001-secret-0123456789',
  'WM-0002': 'wm-0002-secret-0123456789',
  'WM-0003': 'wm-0003-secret-0123456789',
  'SA-0001': 'sa-0001-secret-0123456789',
  'EL-0001': 'el-0001-secret-0123456789',
} as const;
export type TestDeviceId = keyof typeof SECRETS;

export const PASSWORDS = { svc: 'service-password-1', staff: 'staff-password-1', dash: 'dash-password-1' } as const;
export type TestUser = keyof typeof PASSWORDS;

export const REGISTRY: RegistryFile = {
  sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
  residents: [
    { id: 'R-0001', site: 'jiangsu-road', name: 'Resident One', devices: ['WM-0001', 'SA-0001'] },
    { id: 'R-0002', site: 'jiangsu-road', name: 'Resident Two', devices: ['WM-0002'] },
    { id: 'R-0003', site: 'jiangsu-road', name: 'Resident Three', devices: ['WM-0003'] },
  ],
  elevators: [{ id: 'EL-0001', site: 'jiangsu-road', building: 'No. 3', minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, device: 'EL-0001' }],
  devices: [
    { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900, secret: SECRETS['WM-0001'] },
    { id: 'WM-0002', kind: 'water_meter', reportIntervalS: 900, secret: SECRETS['WM-0002'] },
    { id: 'WM-0003', kind: 'water_meter', reportIntervalS: 900, secret: SECRETS['WM-0003'] },
    { id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600, secret: SECRETS['SA-0001'] },
    { id: 'EL-0001', kind: 'elevator', reportIntervalS: 30, secret: SECRETS['EL-0001'] },
  ],
  users: [
    { id: 'svc', password: PASSWORDS.svc, role: 'service', sites: [] },
    { id: 'staff', password: PASSWORDS.staff, role: 'staff', sites: ['jiangsu-road'] },
    { id: 'dash', password: PASSWORDS.dash, role: 'staff', sites: ['jiangsu-road'] },
  ],
};

export interface TestRegistry {
  store: SqliteRegistryStore;
  dir: string;
  close(): void;
}

/** The real SQLite registry in a temporary directory, with the test fleet imported. */
export async function openTestRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hb-broker-reg-'));
  // Cheaper scrypt than production (the option exists for tests): many CONNECTs per suite.
  const cost = { N: 1024, r: 8, p: 1 };
  const store = await openRegistryStore({ dataDir: dir, deviceSecretCost: cost, passwordCost: cost });
  await store.importRegistry(REGISTRY);
  return {
    store,
    dir,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
