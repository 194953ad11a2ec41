import { HOUR_MS } from '../core/zoned-time.util';
import { generateRegistry } from '../fleet/registry.generator';
import { buildFleet } from '../fleet/sim-fleet.builder';
import { parseScenarioSpec, UsageError } from './scenario-spec.parser';
import { SCENARIO_KINDS } from './scenario.types';

const START = Date.UTC(2026, 9, 31, 16);
const SITE = { id: 'jiangsu-road', name: 'Jiangsu Road', timezone: 'Asia/Shanghai' };
const registry = generateRegistry({ seed: 'plan', residents: 14, elevators: 9, site: SITE, meterIntervalS: 900, batch: 1, heartbeatS: 3600, elevatorIntervalS: 30 });
const plan = (scheduled: string[], extra: { incidentRate?: number; showcase?: boolean; days?: number } = {}) =>
  buildFleet(
    registry,
    { seed: 'plan', start: START, end: START + (extra.days ?? 10) * 24 * HOUR_MS, batch: 1 },
    { scheduled: scheduled.map(parseScenarioSpec), incidentRate: extra.incidentRate ?? 0, elevatorIncidentRate: extra.incidentRate ?? 0, showcase: extra.showcase ?? false },
  ).plan;

describe('scenario specs and planning', () => {
  it('parses KIND:SUBJECT@LOCALTIME[/DURATION] and resolves subject, device and time zone', () => {
    const p = plan(['fall:R-0003@2026-11-02T08:00/6h', 'meter_outage:R-0001@2026-11-03T01:00', 'low_battery:WM-0002@2026-11-04T10:00/2d', 'garbage:EL-0001@2026-11-02T12:00']);
    const byKind = new Map(p.scenarios.map((s) => [s.kind, s]));
    expect(byKind.get('fall')).toMatchObject({ subject: 'R-0003', start: Date.UTC(2026, 10, 2, 0), end: Date.UTC(2026, 10, 2, 6) });
    expect(byKind.get('fall')?.deviceId).toBeUndefined();
    expect(byKind.get('meter_outage')).toMatchObject({ subject: 'R-0001', deviceId: 'WM-0001', end: Date.UTC(2026, 10, 2, 17) + 8 * HOUR_MS });
    expect(byKind.get('low_battery')).toMatchObject({ subject: 'R-0002', deviceId: 'WM-0002' });
    expect(byKind.get('garbage')).toMatchObject({ subject: 'EL-0001', deviceId: 'EL-0001', end: Date.UTC(2026, 10, 2, 4, 10) });
  });

  it('turns a late rising time into a window from the usual wake', () => {
    const p = plan(['late_rising:R-0001@2026-11-03T11:30']);
    const s = p.scenarios[0];
    expect(s?.end).toBe(Date.UTC(2026, 10, 3, 3, 30));
    expect(s?.start).toBeLessThan(Date.UTC(2026, 10, 3, 0, 0)); // before 08:00 local
    expect(s?.day).toBe(2);
  });

  it('refuses what does not fit, naming the problem', () => {
    expect(() => parseScenarioSpec('fall:R-0001')).toThrow(UsageError);
    expect(() => parseScenarioSpec('explode:R-0001@2026-11-02T08:00')).toThrow(/unknown scenario kind/);
    expect(() => plan(['fall:EL-0001@2026-11-02T08:00'])).toThrow(/does not happen to an elevator/);
    expect(() => plan(['fire:WM-0001@2026-11-02T08:00'])).toThrow(/needs a smoke_alarm/);
    expect(() => plan(['fall:R-9999@2026-11-02T08:00'])).toThrow(/no resident, elevator or device/);
    expect(() => plan(['fall:R-0001@2026-11-02T28:00'])).toThrow(UsageError);
  });

  it('plans random incidents deterministically, never overlapping for one subject', () => {
    const a = plan([], { incidentRate: 6, days: 30 });
    const b = plan([], { incidentRate: 6, days: 30 });
    expect(a.scenarios).toEqual(b.scenarios);
    expect(a.scenarios.length).toBeGreaterThan(50);
    const bySubject = new Map<string, [number, number][]>();
    for (const s of a.scenarios) bySubject.set(s.subject, [...(bySubject.get(s.subject) ?? []), [s.start, s.end]]);
    for (const windows of bySubject.values()) {
      windows.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < windows.length; i++) expect((windows[i] as [number, number])[0]).toBeGreaterThan((windows[i - 1] as [number, number])[1]);
    }
    expect(a.away.size).toBeGreaterThan(0);
  });

  it('showcases every kind', () => {
    const p = plan([], { showcase: true, days: 3 });
    expect(new Set(p.scenarios.map((s) => s.kind))).toEqual(new Set(SCENARIO_KINDS));
    expect(p.warnings).toEqual([]);
  });
});
