import { MAX_PAYLOAD_BYTES, parseDevicePayload, type WaterReading } from '@hearthbeat/contracts';
import type { DeviceAction } from '../devices/device-action.types';
import { emptyPlan, type DevicePlan } from '../devices/device-plan.types';
import type { Draw } from './daily-routine.model';
import { chunkReadings, waterMeterActions } from './water-meter.device';

const START = Date.UTC(2026, 9, 31, 16); // 2026-11-01 00:00 in Shanghai
const MIN = 60_000;
const HOUR = 60 * MIN;

function* draws(list: Draw[]): Generator<Draw, void> {
  yield* list;
}

function run(opts: { batch: number; plan?: DevicePlan; list?: Draw[]; hours: number }): DeviceAction[] {
  const gen = waterMeterActions({
    id: 'WM-0001',
    seed: 'meter-test',
    start: START,
    intervalMs: 15 * MIN,
    batch: opts.batch,
    draws: draws(opts.list ?? []),
    plan: opts.plan ?? emptyPlan(),
  });
  const out: DeviceAction[] = [];
  for (let r = gen.next(); !r.done && r.value.at < START + opts.hours * HOUR; r = gen.next()) out.push(r.value);
  return out;
}

type Telemetry = { ts: number; totalL?: number; flowLpm?: number; readings?: WaterReading[] };
const telemetry = (actions: DeviceAction[]) =>
  actions.filter((a): a is Extract<DeviceAction, { type: 'publish' }> => a.type === 'publish' && a.channel === 'telemetry').map((a) => a.payload as unknown as Telemetry);
const readingsOf = (msgs: Telemetry[]) => msgs.flatMap((m) => m.readings ?? [{ ts: m.ts, totalL: m.totalL as number, flowLpm: m.flowLpm }]);

describe('water meter', () => {
  it('reads the register every interval, to the tenth of a litre, integrating each draw', () => {
    const shower = { start: START + 2 * HOUR, end: START + 2 * HOUR + 8 * MIN, flowLpm: 6.25 }; // 50 L
    const actions = run({ batch: 1, list: [shower], hours: 6 });
    expect(actions[0]?.type).toBe('online');
    const readings = readingsOf(telemetry(actions));
    expect(readings.length).toBe(24);
    for (let i = 1; i < readings.length; i++) {
      expect((readings[i] as WaterReading).ts - (readings[i - 1] as WaterReading).ts).toBe(15 * MIN);
      expect((readings[i] as WaterReading).totalL).toBeGreaterThanOrEqual((readings[i - 1] as WaterReading).totalL);
    }
    for (const r of readings) expect(Math.round(r.totalL * 10)).toBeCloseTo(r.totalL * 10, 6);
    const used = (readings[readings.length - 1] as WaterReading).totalL - (readings[0] as WaterReading).totalL;
    expect(used).toBeGreaterThan(49.8);
    expect(used).toBeLessThan(50.2);
    for (const a of actions) {
      if (a.type !== 'publish') continue;
      const r = parseDevicePayload(a.payload, { deviceId: 'WM-0001', kind: 'water_meter', channel: a.channel, now: a.at });
      expect(r.ok).toBe(true);
    }
  });

  it('uploads batches: hourly messages of four 15-minute readings, each with its own ts', () => {
    const msgs = telemetry(run({ batch: 4, hours: 12 }));
    expect(msgs.length).toBeGreaterThanOrEqual(11);
    for (const m of msgs) {
      expect(m.readings).toHaveLength(4);
      const ts = (m.readings as WaterReading[]).map((r) => r.ts);
      expect(ts[3] as number).toBeLessThan(m.ts);
      expect((ts[3] as number) - (ts[0] as number)).toBe(45 * MIN);
    }
    for (let i = 1; i < msgs.length; i++) expect((msgs[i] as Telemetry).ts - (msgs[i - 1] as Telemetry).ts).toBe(HOUR);
  });

  it('goes silent in an outage and, when batching, backfills the missed readings on return', () => {
    const plan = emptyPlan();
    const from = START + 3 * HOUR + 7 * MIN;
    const to = from + 5 * HOUR;
    plan.offline.push([from, to]);
    const actions = run({ batch: 4, plan, hours: 12 });
    const published = actions.filter((a) => a.type === 'publish');
    expect(published.some((a) => a.at >= from && a.at < to)).toBe(false);
    expect(actions.find((a) => a.type === 'offline')?.at).toBe(from);
    expect(actions.find((a) => a.type === 'online' && a.at > from)?.at).toBe(to);
    const readings = readingsOf(telemetry(actions));
    const inGap = readings.filter((r) => r.ts >= from && r.ts < to);
    expect(inGap.length).toBe(20);
    const backfill = telemetry(actions).find((m) => (m.readings ?? []).some((r) => r.ts >= from && r.ts < to));
    expect(backfill?.ts).toBeGreaterThanOrEqual(to);
    expect(backfill?.readings?.length).toBeGreaterThan(4);
  });

  it('loses the readings of an outage when it sends them one by one', () => {
    const plan = emptyPlan();
    plan.offline.push([START + 2 * HOUR, START + 4 * HOUR]);
    const readings = readingsOf(telemetry(run({ batch: 1, plan, hours: 8 })));
    expect(readings.some((r) => r.ts >= START + 2 * HOUR && r.ts < START + 4 * HOUR)).toBe(false);
    expect(readings.length).toBe(32 - 8);
  });

  it('splits a long backlog into uploads under the 8 KiB payload limit', () => {
    const backlog: WaterReading[] = Array.from({ length: 500 }, (_, i) => ({ ts: START + i * 15 * MIN, totalL: 123456.7 + i, flowLpm: 12.5 }));
    const chunks = chunkReadings(backlog);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(backlog);
    for (const c of chunks) {
      const payload = JSON.stringify({ ts: START, seq: 123456, readings: c, batteryPct: 100, rssi: -100 });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    }
  });
});
