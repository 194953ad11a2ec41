import type { ElevatorTelemetry, TruthLine, WaterReading } from '@hearthbeat/contracts';
import { removeOutput, simulateOffline, type LoggedMessage, type OfflineOutput } from '../../test/offline-output';
import { SCENARIO_KINDS, TRUTH_KIND_OF } from './scenario.types';

/**
 * One offline run with --showcase: every scenario kind must be in truth.jsonl and visible in
 * messages.jsonl the way the brief describes it.
 */
describe('every scenario is in the truth file and visible in the messages', () => {
  let out: OfflineOutput;
  let end: number;
  beforeAll(async () => {
    out = await simulateOffline(['--residents', '13', '--elevators', '9', '--days', '3', '--batch', '4', '--incident-rate', '0', '--showcase', '--seed', 'showcase']);
    end = out.summary.end;
  });
  afterAll(() => removeOutput(out));

  const truth = (kind: string, note?: string): TruthLine => {
    const t = out.truth.find((x) => x.kind === kind && (note === undefined || (x.note ?? '').includes(note)));
    if (!t) throw new Error(`no ${kind} in truth.jsonl`);
    return t;
  };
  const device = (subject: string, kind: 'water_meter' | 'smoke_alarm'): string => {
    const r = out.registry.residents.find((x) => x.id === subject);
    const id = r?.devices.find((d) => out.registry.devices.find((e) => e.id === d)?.kind === kind);
    if (!id) throw new Error(`${subject} has no ${kind}`);
    return id;
  };
  const messages = (id: string): LoggedMessage[] => out.byDevice.get(id) ?? [];
  const objects = (id: string, channel: 'telemetry' | 'event') =>
    messages(id).filter((m) => m.channel === channel && typeof m.payload === 'object').map((m) => m.payload as Record<string, unknown> & { ts: number });
  const readings = (subject: string): WaterReading[] =>
    objects(device(subject, 'water_meter'), 'telemetry')
      .flatMap((p) => (p['readings'] as WaterReading[] | undefined) ?? [{ ts: p.ts, totalL: p['totalL'] as number, flowLpm: p['flowLpm'] as number }])
      .sort((a, b) => a.ts - b.ts);
  /** Litres between the last reading at or before `from` and the first at or after `to`. */
  const usedBetween = (subject: string, from: number, to: number): number => {
    const rs = readings(subject);
    const before = [...rs].reverse().find((r) => r.ts <= from);
    const after = rs.find((r) => r.ts >= to);
    if (!before || !after) throw new Error(`no readings around ${from}..${to} for ${subject}`);
    return after.totalL - before.totalL;
  };
  const events = (id: string, name: string) => objects(id, 'event').filter((e) => e['event'] === name);
  const states = (subject: string, from: number, to: number) =>
    (objects(subject, 'telemetry') as unknown as ElevatorTelemetry[]).filter((s) => s.ts >= from && s.ts < to);

  it('has every kind in truth.jsonl', () => {
    expect(new Set(out.truth.map((t) => t.kind))).toEqual(new Set(SCENARIO_KINDS.map((k) => TRUTH_KIND_OF[k])));
  });

  it('fall: no water at all from the fall until the rescue', () => {
    const t = truth('fall');
    expect(t.end - t.start).toBeGreaterThan(4 * 3600_000);
    const rs = readings(t.subject).filter((r) => r.ts > t.start + 60_000 && r.ts <= t.end);
    expect(rs.length).toBeGreaterThan(10);
    expect(new Set(rs.map((r) => r.totalL)).size).toBe(1);
    expect(usedBetween(t.subject, t.end, t.end + 6 * 3600_000)).toBeGreaterThan(0);
  });

  it('fall in the shower: the shower keeps running', () => {
    const t = truth('fall_in_shower');
    const rs = readings(t.subject).filter((r) => r.ts > t.start && r.ts < t.end);
    expect(rs.length).toBeGreaterThanOrEqual(4);
    expect(rs.every((r) => (r.flowLpm ?? 0) >= 6)).toBe(true);
    expect(usedBetween(t.subject, t.start, t.end)).toBeGreaterThan((6 * (t.end - t.start)) / 60_000 - 20);
  });

  it.each(['hospital', 'away', 'away_unannounced', 'late_rising'])('%s: the home is silent', (kind) => {
    const t = truth(kind);
    const to = Math.min(t.end, end - 3600_000);
    expect(usedBetween(t.subject, t.start + 60_000, to - 15 * 60_000)).toBe(0);
    if (kind === 'away') expect(out.registry.residents.find((r) => r.id === t.subject)?.away?.length).toBe(1);
    if (kind === 'late_rising') expect(usedBetween(t.subject, t.end, t.end + 2 * 3600_000)).toBeGreaterThan(1);
  });

  it('tap left running and leak: continuous flow; a leak raises the meter event', () => {
    for (const kind of ['tap_running', 'leak']) {
      const t = truth(kind);
      const rs = readings(t.subject).filter((r) => r.ts > t.start && r.ts < Math.min(t.end, end));
      expect(rs.length).toBeGreaterThanOrEqual(4);
      expect(rs.every((r) => (r.flowLpm ?? 0) > 0)).toBe(true);
    }
    const leak = truth('leak');
    expect(events(device(leak.subject, 'water_meter'), 'leak').some((e) => e.ts > leak.start && e.ts < leak.end)).toBe(true);
  });

  it('fire: the detector alarms, then goes offline or clears', () => {
    const t = truth('fire');
    const id = device(t.subject, 'smoke_alarm');
    expect(events(id, 'alarm').map((e) => e.ts)).toContain(t.start);
    const will = messages(id).some((m) => m.channel === 'status' && m.t > t.start && m.t < t.end && (m.payload as { online: boolean }).online === false);
    const cleared = events(id, 'alarm_cleared').some((e) => e.ts === t.end);
    expect(will || cleared).toBe(true);
  });

  it('detector removed: tamper, then silent (the broker publishes the Will)', () => {
    const t = truth('detector_removed');
    const id = device(t.subject, 'smoke_alarm');
    expect(events(id, 'tamper').map((e) => e.ts)).toContain(t.start);
    const after = messages(id).filter((m) => m.t > t.start + 5_000 && m.t < Math.min(t.end, end));
    expect(after.map((m) => m.payload)).toEqual([{ online: false }]);
  });

  it('low battery: the charge sags below 20 %, the device warns, then falls silent', () => {
    const t = truth('low_battery');
    const id = t.deviceId as string;
    expect(events(id, 'low_battery').map((e) => e.ts)).toEqual([t.start]);
    const beats = objects(id, 'telemetry');
    const before = beats.filter((b) => b.ts < t.start).map((b) => b['batteryPct'] as number);
    expect(before[0] as number).toBeGreaterThan(before[before.length - 1] as number);
    expect(beats.filter((b) => b.ts > t.start).every((b) => (b['batteryPct'] as number) < 20)).toBe(true);
    const lastBeat = Math.max(...beats.map((b) => b.ts));
    expect(lastBeat).toBeLessThan(Math.min(t.end, end) - 2 * 3600_000);
  });

  it('meter outage: a gap, then a backfill of the missed readings', () => {
    const t = truth('meter_outage');
    const id = t.deviceId as string;
    const inGap = messages(id).filter((m) => m.t > t.start + 90_000 + 60_000 && m.t < t.end);
    expect(inGap).toEqual([]);
    const backfill = messages(id).find((m) => m.t >= t.end && Array.isArray((m.payload as { readings?: unknown }).readings));
    const covered = ((backfill?.payload as { readings: WaterReading[] }).readings ?? []).filter((r) => r.ts >= t.start && r.ts < t.end);
    expect(covered.length).toBeGreaterThanOrEqual(Math.floor((t.end - t.start) / 900_000) - 1);
  });

  it('entrapment in the door zone and outside it: stopped, doors closed, occupied for more than 20 s, alarm held', () => {
    for (const note of ['in door zone', 'outside door zone']) {
      const t = truth('entrapment', note);
      const inside = states(t.subject, t.start, t.end);
      expect(t.end - t.start).toBeGreaterThan(20_000);
      expect(inside.length).toBeGreaterThan(20);
      expect(new Set(inside.map((s) => `${s.direction},${s.door},${s.occupied},${s.speedMps}`))).toEqual(new Set(['stopped,closed,true,0']));
      expect(inside.every((s) => s.doorZone === (note === 'in door zone'))).toBe(true);
      expect(events(t.subject, 'alarm_button').some((e) => (e['heldMs'] as number) >= 3000 && e.ts > t.start && e.ts < t.end)).toBe(true);
    }
    const outside = truth('entrapment', 'outside door zone');
    expect(events(outside.subject, 'safety_circuit').map((e) => e.ts)).toContain(outside.start);
  });

  it('door fault: lock fault event, doors held open for more than 60 s', () => {
    const t = truth('door_fault');
    expect(events(t.subject, 'door_lock_fault').map((e) => e.ts)).toContain(t.start);
    const open = states(t.subject, t.start + 5_000, t.end);
    expect(open.length).toBeGreaterThan(2);
    expect(open.every((s) => s.door === 'open' && s.direction === 'stopped' && s.mode === 'out_of_service')).toBe(true);
  });

  it('door cycling: at least five door cycles within a minute', () => {
    const t = truth('door_cycling');
    const openings = states(t.subject, t.start, t.end).filter((s) => s.door === 'opening');
    expect(openings.filter((s) => s.ts < t.start + 60_000).length).toBeGreaterThanOrEqual(5);
  });

  it('overspeed: speed above the rated speed', () => {
    const t = truth('overspeed');
    const rated = out.registry.elevators.find((e) => e.id === t.subject)?.ratedSpeedMps as number;
    const fast = states(t.subject, t.start, t.end + 1).filter((s) => s.speedMps > rated * 1.2);
    expect(fast.length).toBeGreaterThan(0);
    expect(states(t.subject, 0, Infinity).filter((s) => s.speedMps > rated && (s.ts < t.start || s.ts > t.end))).toEqual([]);
  });

  it('power cut: power_lost, the lift on battery then off, power_restored', () => {
    const t = truth('power_cut');
    expect(events(t.subject, 'power_lost').map((e) => e.ts)).toContain(t.start);
    expect(events(t.subject, 'power_restored').map((e) => e.ts)).toContain(t.end);
    // The state sent at the very instant of the cut is the one before it.
    const during = states(t.subject, t.start + 1, t.end);
    expect(during.every((s) => s.power !== 'mains')).toBe(true);
    expect(new Set(during.map((s) => s.power))).toEqual(new Set(['battery', 'off']));
  });

  it('alarm misuse: short presses while the car is empty', () => {
    const t = truth('alarm_misuse');
    const presses = events(t.subject, 'alarm_button').filter((e) => e.ts >= t.start && e.ts <= t.end);
    expect(presses.length).toBeGreaterThan(0);
    expect(presses.every((e) => (e['heldMs'] as number) < 3000)).toBe(true);
    const around = states(t.subject, t.start - 31_000, t.end + 1);
    expect(around.every((s) => !s.occupied)).toBe(true);
  });

  it('test calls stop: none inside the window; other lifts keep calling', () => {
    const t = truth('test_calls_stopped');
    expect(events(t.subject, 'test_call').filter((e) => e.ts >= t.start && e.ts < t.end)).toEqual([]);
    const others = out.registry.elevators.filter((e) => e.id !== t.subject);
    expect(others.every((e) => events(e.device, 'test_call').length > 0)).toBe(true);
  });
});
