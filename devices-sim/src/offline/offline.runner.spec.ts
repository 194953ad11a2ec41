import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDevicePayload, parseRegistryFile, truthLineSchema, type Rejection } from '@hearthbeat/contracts';
import { removeOutput, simulateOffline, type OfflineOutput } from '../../test/offline-output';
import { SIM_TRUTH_KINDS } from '../scenarios/scenario.types';

const ARGS = ['--residents', '8', '--elevators', '1', '--days', '3', '--batch', '4', '--incident-rate', '4', '--seed', '42'];
const SCHEDULED = ['--scenario', 'garbage:R-0002@2026-11-02T09:00/3h', '--scenario', 'garbage:SA-0003@2026-11-02T06:00/6h', '--scenario', 'garbage:EL-0001@2026-11-01T20:00/10m'];
const FILES = ['registry.json', 'messages.jsonl', 'truth.jsonl', 'answers.jsonl'];
const sha = (dir: string, file: string) => createHash('sha256').update(readFileSync(path.join(dir, file))).digest('hex');

describe('offline output', () => {
  let a: OfflineOutput;
  let b: OfflineOutput;
  let other: OfflineOutput;
  beforeAll(async () => {
    a = await simulateOffline([...ARGS, ...SCHEDULED]);
    b = await simulateOffline([...ARGS, ...SCHEDULED]);
    other = await simulateOffline([...ARGS.slice(0, -1), '43', ...SCHEDULED]);
  });
  afterAll(() => [a, b, other].forEach(removeOutput));

  it('is byte-identical for the same arguments and seed, and differs for another seed', () => {
    for (const f of FILES) expect(sha(a.dir, f)).toBe(sha(b.dir, f));
    for (const f of FILES) expect(sha(other.dir, f)).not.toBe(sha(a.dir, f));
    expect(a.messages.length).toBeGreaterThan(10_000);
  });

  it('writes a registry that the contracts accept, with secrets, users and announced absences', () => {
    const parsed = parseRegistryFile(a.registry);
    expect(parsed.ok).toBe(true);
    expect(a.registry.devices.every((d) => (d.secret ?? '').length >= 16)).toBe(true);
    expect(a.registry.devices.find((d) => d.kind === 'water_meter')?.reportIntervalS).toBe(3600);
    expect(a.registry.users?.map((u) => u.role).sort()).toEqual(['maintainer', 'service', 'staff']);
    const away = a.truth.filter((t) => t.kind === 'away');
    for (const t of away) {
      const periods = a.registry.residents.find((r) => r.id === t.subject)?.away ?? [];
      expect(periods.some((p) => p.from <= t.start && p.to >= t.end)).toBe(true);
    }
  });

  it('writes messages in non-decreasing t order, every one valid except the deliberate garbage', () => {
    const kinds = new Map(a.registry.devices.map((d) => [d.id, d.kind]));
    const floors = new Map(a.registry.elevators.map((e) => [e.device, { min: e.minFloor, max: e.maxFloor }]));
    const garbage = a.truth.filter((t) => t.kind === 'garbage');
    const failures: { deviceId: string; t: number; rejection: Rejection }[] = [];
    let last = 0;
    let outOfOrder = 0;
    for (const m of a.messages) {
      if (m.t < last) outOfOrder++;
      last = m.t;
      const kind = kinds.get(m.deviceId);
      if (!kind) throw new Error(`unknown device ${m.deviceId}`);
      const floorRange = floors.get(m.deviceId);
      const r = parseDevicePayload(m.payload, { deviceId: m.deviceId, kind, channel: m.channel, now: m.t, ...(floorRange ? { floorRange } : {}) });
      if (!r.ok) failures.push({ deviceId: m.deviceId, t: m.t, rejection: r.rejection });
    }
    expect(outOfOrder).toBe(0);
    expect(failures.length).toBeGreaterThan(10);
    // Every failure lies in a garbage window of its device (received within a minute of the window's
    // end at the latest: network delay) and has one of the reasons the truth line announces.
    const stray = failures.filter(
      (f) => !garbage.some((g) => g.deviceId === f.deviceId && f.t >= g.start && f.t <= g.end + 60_000 && (g.note ?? '').includes(f.rejection.reason)),
    );
    expect(stray).toEqual([]);
    const reasons = new Set(failures.map((f) => f.rejection.reason));
    expect(reasons).toEqual(new Set(['not_json', 'wrong_type', 'out_of_range', 'unknown_enum', 'missing_field']));
    // Payloads that are not JSON are written as strings.
    expect(failures.filter((f) => f.rejection.reason === 'not_json').every((f) => typeof a.messages.find((m) => m.t === f.t && m.deviceId === f.deviceId)?.payload === 'string')).toBe(true);
    for (const g of garbage) expect(failures.some((f) => f.deviceId === g.deviceId)).toBe(true);
  });

  it('writes truth lines in the protocol format with known kinds', () => {
    expect(a.truth.length).toBeGreaterThanOrEqual(4);
    for (const t of a.truth) {
      expect(truthLineSchema.safeParse(t).success).toBe(true);
      expect(SIM_TRUTH_KINDS).toContain(t.kind);
      expect(t.end).toBeGreaterThan(t.start);
    }
    const first = readFileSync(path.join(a.dir, 'truth.jsonl'), 'utf8').split('\n')[0] ?? '';
    expect(first.startsWith('{"subject":')).toBe(true);
  });
});
