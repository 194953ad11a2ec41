import { parseDevicePayload, type ElevatorTelemetry } from '@hearthbeat/contracts';
import { DAY_MS, HOUR_MS } from '../core/zoned-time.util';
import { TruthCollector, type DeviceAction } from '../devices/device-action.types';
import type { Scenario } from '../scenarios/scenario.types';
import { elevatorActions, IDLE_HEARTBEAT_MS, MIN_STATE_GAP_MS, TEST_CALL_MAX_GAP_MS } from './elevator.device';
import { floorLabels, travelAt, travelProfile, type CarSpec } from './elevator-physics.model';

const START = Date.UTC(2026, 9, 31, 16); // 2026-11-01 00:00 Asia/Shanghai
const SPEC: CarSpec = { minFloor: -1, maxFloor: 18, ratedSpeedMps: 1.75, accelMps2: 0.8, floorHeightM: 3, labels: floorLabels(-1, 18) };

function run(days: number, incidents: Scenario[] = [], testCallsStopped: [number, number][] = []) {
  const sink = new TruthCollector();
  const gen = elevatorActions({ id: 'EL-0001', elevatorId: 'EL-0001', seed: 'lift-test', start: START, spec: SPEC, tz: 'Asia/Shanghai', incidents, testCallsStopped, sink });
  const actions: DeviceAction[] = [];
  for (let r = gen.next(); !r.done && r.value.at < START + days * DAY_MS; r = gen.next()) actions.push(r.value);
  const publishes = actions.filter((a): a is Extract<DeviceAction, { type: 'publish' }> => a.type === 'publish');
  const states = publishes.filter((a) => a.channel === 'telemetry').map((a) => a.payload as unknown as ElevatorTelemetry);
  const events = publishes.filter((a) => a.channel === 'event').map((a) => a.payload as { ts: number; event: string; heldMs?: number });
  return { actions, publishes, states, events, truth: sink.sorted() };
}

describe('elevator model', () => {
  const week = run(7);

  // Checks collect offenders and assert once: an expect() per message would cost seconds.
  it('sends valid state telemetry with floors in range, in time order', () => {
    const bad: unknown[] = [];
    let last = 0;
    for (const a of week.publishes) {
      if (a.at < last) bad.push({ outOfOrder: a });
      last = a.at;
      const r = parseDevicePayload(a.payload, { deviceId: 'EL-0001', kind: 'elevator', channel: a.channel, now: a.at, floorRange: { min: -1, max: 18 } });
      if (!r.ok) bad.push(r.rejection);
    }
    expect(bad).toEqual([]);
    expect(new Set(week.states.map((s) => s.floor)).size).toBeGreaterThan(10);
    expect(week.states.some((s) => s.floor === 0)).toBe(false); // no floor 0 between -1 and 1
  });

  it('never sends more than 2 states a second while moving, and at least one every 30 s', () => {
    const bad: [ElevatorTelemetry, ElevatorTelemetry][] = [];
    for (let i = 1; i < week.states.length; i++) {
      const a = week.states[i - 1] as ElevatorTelemetry;
      const b = week.states[i] as ElevatorTelemetry;
      if (b.ts - a.ts > IDLE_HEARTBEAT_MS) bad.push([a, b]);
      if ((a.direction !== 'stopped' || b.direction !== 'stopped') && b.ts - a.ts < MIN_STATE_GAP_MS) bad.push([a, b]);
    }
    expect(bad).toEqual([]);
    const moving = week.states.filter((s) => s.direction !== 'stopped');
    expect(moving.length).toBeGreaterThan(1000);
  });

  it('moves only with the doors closed, below rated speed, and carries passengers', () => {
    expect(week.states.filter((s) => (s.direction !== 'stopped' && s.door !== 'closed') || s.speedMps > SPEC.ratedSpeedMps)).toEqual([]);
    expect(week.states.some((s) => s.occupied)).toBe(true);
    expect(week.states.some((s) => s.door === 'open')).toBe(true);
    // Trips cluster in the morning and evening rushes (local time), not at 3 am.
    const hourOf = (ts: number) => new Date(ts + 8 * HOUR_MS).getUTCHours();
    const starts = week.states.filter((s, i) => s.direction !== 'stopped' && week.states[i - 1]?.direction === 'stopped');
    const rush = starts.filter((s) => hourOf(s.ts) === 8).length;
    const night = starts.filter((s) => hourOf(s.ts) === 3).length;
    expect(rush).toBeGreaterThan(5 * Math.max(1, night));
  });

  it('places a test call at least every 72 h', () => {
    const calls = week.events.filter((e) => e.event === 'test_call').map((e) => e.ts);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect((calls[0] as number) - START).toBeLessThanOrEqual(TEST_CALL_MAX_GAP_MS);
    for (let i = 1; i < calls.length; i++) expect((calls[i] as number) - (calls[i - 1] as number)).toBeLessThanOrEqual(TEST_CALL_MAX_GAP_MS);
  });

  it('stops test calls in the "test calls stop" window, leaving a gap over 72 h', () => {
    const stop: [number, number] = [START + DAY_MS, START + 6 * DAY_MS];
    const { events } = run(8, [], [stop]);
    const calls = events.filter((e) => e.event === 'test_call').map((e) => e.ts);
    expect(calls.some((t) => t >= stop[0] && t < stop[1])).toBe(false);
    const gaps = calls.slice(1).map((t, i) => t - (calls[i] as number));
    expect(Math.max(...gaps)).toBeGreaterThan(TEST_CALL_MAX_GAP_MS);
    expect(calls.some((t) => t >= stop[1])).toBe(true);
  });

  it('plays an entrapment: stopped, doors closed, occupied for longer than 20 s, alarm held', () => {
    const s: Scenario = { kind: 'entrapment', subject: 'EL-0001', start: START + 10 * HOUR_MS, end: START + 10 * HOUR_MS + 25 * 60_000, key: 'e' };
    const { states, events, truth } = run(1, [s]);
    expect(truth).toHaveLength(1);
    const t = truth[0] as { start: number; end: number };
    const inside = states.filter((x) => x.ts >= t.start && x.ts < t.end);
    expect(inside.length).toBeGreaterThan(40);
    expect(new Set(inside.map((x) => [x.direction, x.door, x.occupied, x.doorZone].join()))).toEqual(new Set(['stopped,closed,true,true']));
    expect(events.some((e) => e.event === 'alarm_button' && (e.heldMs ?? 0) >= 3000 && e.ts > t.start && e.ts < t.end)).toBe(true);
  });
});

describe('travel profile', () => {
  it('accelerates, cruises at rated speed and stops exactly at the landing', () => {
    const p = travelProfile(57, 1.75, 0.8);
    expect(p.peakMps).toBe(1.75);
    expect(p.totalMs / 1000).toBeCloseTo(57 / 1.75 + 1.75 / 0.8, 1);
    expect(travelAt(p, p.totalMs).distanceM).toBe(57);
    expect(travelAt(p, p.totalMs / 2).speedMps).toBe(1.75);
    const hop = travelProfile(3, 1.75, 0.8);
    expect(hop.peakMps).toBeLessThan(1.75);
    expect(travelAt(hop, hop.totalMs - 1).distanceM).toBeCloseTo(3, 2);
  });
});
