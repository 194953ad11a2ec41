import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertFileLine, RegistryFile } from '@hearthbeat/contracts';
import { tempDir as testTempDir } from '@hearthbeat/testing';

/** 2026-11-02 00:00 in Shanghai (a Monday). */
export const T0 = Date.UTC(2026, 10, 1, 16);
export const MIN = 60_000;
export const H = 3_600_000;

/** A new hb-backtest-XXXXXX directory, removed when the test file ends. */
export function tempDir(): string {
  return testTempDir('backtest');
}

/** One site in Shanghai, one resident with a meter and a detector. */
export function smallRegistry(extra: Partial<RegistryFile> = {}): RegistryFile {
  return {
    sites: [{ id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' }],
    residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001', 'SA-0001'] }],
    elevators: [],
    devices: [
      { id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900 },
      { id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600 },
    ],
    ...extra,
  };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export function writeLines(dir: string, name: string, lines: readonly (string | object)[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

export function readAlertLines(path: string): AlertFileLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertFileLine);
}

export const msg = (t: number, topic: string, payload: unknown) => ({ t, topic, payload });
