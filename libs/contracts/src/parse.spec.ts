import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDevicePayload, type ParseContext } from './parse';
import { MAX_PAYLOAD_BYTES } from './payloads';
import type { DeviceKind } from './ids';

interface Vector {
  deviceKind: DeviceKind;
  topic: 'telemetry' | 'event';
  payload: unknown;
  valid: boolean;
  why: string;
}

const fixture = path.join(__dirname, '..', 'test', 'fixtures', 'payloads.jsonl');
const shared = path.join(__dirname, '..', '..', '..', '..', 'shared', 'vectors', 'payloads.jsonl');
const vectors: Vector[] = fs
  .readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Vector);

const NOW = Date.UTC(2026, 9, 1); // after every vector's ts
const ctx = (kind: DeviceKind, channel: ParseContext['channel']): ParseContext => ({ deviceId: 'DEV-1', kind, channel, now: NOW });
/** The vectors give payloads as JSON values; a string stands for raw bytes that are not JSON. */
const bytes = (payload: unknown) => Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));

describe('protocol vectors (shared/vectors/payloads.jsonl)', () => {
  it('the vendored copy matches shared/ when shared/ is beside the checkout', () => {
    if (!fs.existsSync(shared)) return expect(vectors.length).toBeGreaterThanOrEqual(54);
    expect(fs.readFileSync(fixture, 'utf8')).toBe(fs.readFileSync(shared, 'utf8'));
  });

  it.each(vectors.map((v) => [v.why, v] as const))('%s', (_why, v) => {
    const result = parseDevicePayload(bytes(v.payload), ctx(v.deviceKind, v.topic));
    if (v.valid) {
      expect(result).toMatchObject({ ok: true });
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.rejection.reason).toMatch(/^[a-z_]+$/);
        expect(result.rejection.message.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('rejections name the reason, the field and the value', () => {
  const water = ctx('water_meter', 'telemetry');
  const cases: [string, unknown, string, string | undefined, unknown][] = [
    ['not JSON', 'not json', 'not_json', undefined, 'not json'],
    ['array', [1, 2], 'not_an_object', undefined, [1, 2]],
    ['null', null, 'not_an_object', undefined, undefined],
    ['missing ts', { totalL: 5 }, 'missing_field', 'ts', undefined],
    ['string ts', { ts: '2026', totalL: 5 }, 'wrong_type', 'ts', '2026'],
    ['fractional ts', { ts: 1.5, totalL: 5 }, 'wrong_type', 'ts', 1.5],
    ['battery 101', { ts: 1, totalL: 5, batteryPct: 101 }, 'out_of_range', 'batteryPct', 101],
    ['valve half', { ts: 1, totalL: 5, valve: 'half' }, 'unknown_enum', 'valve', 'half'],
    ['empty batch', { ts: 1, readings: [] }, 'out_of_range', 'readings', []],
    ['batch item without totalL', { ts: 1, readings: [{ ts: 1 }] }, 'missing_field', 'readings[0].totalL', undefined],
    ['neither totalL nor readings', { ts: 1 }, 'missing_field', 'totalL', undefined],
  ];
  it.each(cases)('%s', (_name, payload, reason, field, value) => {
    const r = parseDevicePayload(bytes(payload), water);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.rejection.reason).toBe(reason);
    expect(r.rejection.field).toBe(field);
    if (value !== undefined) expect(r.rejection.value).toEqual(value);
    if (field) expect(r.rejection.message).toContain(field);
  });

  it('refuses a ts more than 24 h ahead of the platform clock, and accepts one just inside', () => {
    const ahead = NOW + 24 * 3600_000;
    expect(parseDevicePayload(bytes({ ts: ahead, totalL: 1 }), water).ok).toBe(true);
    const r = parseDevicePayload(bytes({ ts: ahead + 1, totalL: 1 }), water);
    expect(r).toMatchObject({ ok: false, rejection: { reason: 'ts_in_future', field: 'ts' } });
    const batch = parseDevicePayload(bytes({ ts: NOW, readings: [{ ts: NOW, totalL: 1 }, { ts: ahead + 5, totalL: 2 }] }), water);
    expect(batch).toMatchObject({ ok: false, rejection: { reason: 'ts_in_future', field: 'readings[1].ts' } });
  });

  it('refuses an oversize payload before parsing it', () => {
    const big = JSON.stringify({ ts: 1, totalL: 1, pad: 'x'.repeat(MAX_PAYLOAD_BYTES) });
    expect(parseDevicePayload(Buffer.from(big), water)).toMatchObject({ ok: false, rejection: { reason: 'payload_too_large' } });
    const exact = JSON.stringify({ ts: 1, totalL: 1, pad: '' });
    const padded = exact.replace('"pad":""', `"pad":"${'x'.repeat(MAX_PAYLOAD_BYTES - exact.length)}"`);
    expect(Buffer.byteLength(padded)).toBe(MAX_PAYLOAD_BYTES);
    expect(parseDevicePayload(Buffer.from(padded), water).ok).toBe(true);
  });

  it('checks an elevator floor against the car range from the registry', () => {
    const state = { ts: 1, floor: 19, doorZone: true, direction: 'stopped', door: 'closed', occupied: false, speedMps: 0, mode: 'normal', power: 'mains' };
    const c = { ...ctx('elevator', 'telemetry'), floorRange: { min: -1, max: 18 } };
    expect(parseDevicePayload(bytes(state), c)).toMatchObject({ ok: false, rejection: { reason: 'out_of_range', field: 'floor', value: 19 } });
    expect(parseDevicePayload(bytes({ ...state, floor: 18 }), c).ok).toBe(true);
    expect(parseDevicePayload(bytes({ ...state, floor: -2 }), c).ok).toBe(false);
  });

  it('refuses a device publishing on cmd', () => {
    expect(parseDevicePayload(bytes({ ts: 1 }), ctx('elevator', 'cmd'))).toMatchObject({ ok: false, rejection: { reason: 'wrong_topic' } });
  });

  it('accepts status with and without ts (a Last Will has none), and parses objects given directly', () => {
    expect(parseDevicePayload(bytes({ online: false }), ctx('smoke_alarm', 'status')).ok).toBe(true);
    expect(parseDevicePayload({ online: true, ts: 5 }, ctx('smoke_alarm', 'status')).ok).toBe(true);
    expect(parseDevicePayload({ online: 'yes' }, ctx('smoke_alarm', 'status')).ok).toBe(false);
  });

  it('returns the typed body with unknown fields dropped', () => {
    const r = parseDevicePayload(bytes({ ts: 7, totalL: 5, extra: 1 }), water);
    expect(r).toEqual({ ok: true, value: { deviceId: 'DEV-1', kind: 'water_meter', channel: 'telemetry', body: { ts: 7, totalL: 5 } } });
  });
});
