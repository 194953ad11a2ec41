import { resolveEscalationPolicy, type Alert, type DeviceMessage } from '@hearthbeat/contracts';
import { RulesCore, type CoreEvent, type CoreRegistry } from '@hearthbeat/rules-core';
import { percentile } from './percentile';
import { responseReport, type ReportGroup, type ReportSite } from './response-report';

/** 2025-11-21 00:00 in Shanghai. */
const DAY = Date.UTC(2025, 10, 20, 16, 0, 0);
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const ROLES: Record<string, string> = { 'li.bin': 'staff', 'wu.fang': 'staff', 'chen.sup': 'supervisor', 'lift.tech': 'maintainer', 'lift.two': 'maintainer' };

const registry: CoreRegistry = {
  sites: [
    // No lift test calls are simulated: their 72-h rule stays off, so only the day's incidents count.
    { id: 'north', timezone: 'Asia/Shanghai', rules: { 'elevator.test_call_missing': { enabled: false } } },
    { id: 'south', timezone: 'Europe/Berlin', rules: { 'elevator.test_call_missing': { enabled: false } } },
  ],
  residents: [
    { id: 'R-N1', site: 'north', devices: ['SA-N1'] },
    { id: 'R-N2', site: 'north', devices: ['SA-N2'] },
    { id: 'R-N3', site: 'north', devices: ['SA-N3'] },
    { id: 'R-S1', site: 'south', devices: ['SA-S1'] },
    { id: 'R-S2', site: 'south', devices: ['SA-S2'] },
  ],
  elevators: [
    { id: 'E-N1', site: 'north', minFloor: 1, maxFloor: 20, ratedSpeedMps: 1.75, device: 'EL-N1' },
    { id: 'E-S1', site: 'south', minFloor: 1, maxFloor: 20, ratedSpeedMps: 1.75, device: 'EL-S1' },
  ],
  // Long report intervals: the day has no offline alerts to muddy the figures.
  devices: [
    ...['SA-N1', 'SA-N2', 'SA-N3', 'SA-S1', 'SA-S2'].map((id) => ({ id, kind: 'smoke_alarm' as const, reportIntervalS: 30 * 86400 })),
    ...['EL-N1', 'EL-S1'].map((id) => ({ id, kind: 'elevator' as const, reportIntervalS: 30 * 86400 })),
  ],
};

/**
 * Drives the rules core through a day of incidents with made-up times (the core takes time as a value):
 * each alert gets known acknowledge, on-site and resolve times. Returns every alert as last changed.
 */
function simulatedDay(): Alert[] {
  const core = new RulesCore({ registry });
  const latest = new Map<string, Alert>();
  let seq = 1;
  const record = (events: readonly CoreEvent[]): string | undefined => {
    let opened: string | undefined;
    for (const e of events) {
      if (e.type !== 'alert') continue;
      latest.set(e.alert.id, e.alert);
      if (e.change === 'opened' && (e.alert.rule === 'smoke.alarm' || e.alert.rule === 'elevator.entrapment')) opened = e.alert.id;
    }
    return opened;
  };
  const alarm = (device: string, t: number): string => {
    record(core.advance(t));
    const msg: DeviceMessage = { deviceId: device, kind: 'smoke_alarm', channel: 'event', body: { ts: t, seq: seq++, event: 'alarm' } };
    return record(core.ingest(msg, t)) ?? '';
  };
  const trapped = (device: string, t: number): string => {
    // Stopped, doors closed, occupied: the entrapment opens 20 s later (in a door zone), at t.
    const msg: DeviceMessage = { deviceId: device, kind: 'elevator', channel: 'telemetry', body: { ts: t - 20 * S, seq: seq++, floor: 5, doorZone: true, direction: 'stopped', door: 'closed', occupied: true, speedMps: 0, mode: 'normal', power: 'mains' } };
    record(core.advance(t - 20 * S));
    record(core.ingest(msg, t - 20 * S));
    return record(core.advance(t)) ?? '';
  };
  const handle = (id: string, start: number, who: string, o: { ack?: number; onSite?: number; resolve: number; outcome?: 'safe' | 'rescued' | 'false_alarm' }) => {
    if (o.ack !== undefined) record([...core.advance(start + o.ack * MIN), ...core.acknowledge(id, who, start + o.ack * MIN)]);
    if (o.onSite !== undefined) record([...core.advance(start + o.onSite * MIN), ...core.onSite(id, who, start + o.onSite * MIN)]);
    record([...core.advance(start + o.resolve * MIN), ...core.resolve(id, o.outcome ?? 'safe', 'done', who, start + o.resolve * MIN)]);
  };

  const at = (h: number, m = 0) => DAY + h * H + m * MIN;
  // North (Shanghai): three fires for staff, one entrapment for the maintainers, rescued after 35 min.
  handle(alarm('SA-N1', at(8)), at(8), 'li.bin', { ack: 2, onSite: 12, resolve: 30 });
  handle(alarm('SA-N2', at(9)), at(9), 'wu.fang', { ack: 4, onSite: 20, resolve: 50 });
  handle(alarm('SA-N3', at(10)), at(10), 'li.bin', { ack: 8, onSite: 15, resolve: 25 });
  handle(trapped('EL-N1', at(11)), at(11), 'lift.tech', { ack: 3, onSite: 35, resolve: 45, outcome: 'rescued' });
  // South (Berlin): a supervisor without a visit, staff, and an entrapment rescued in 14 min.
  handle(alarm('SA-S1', at(13)), at(13), 'chen.sup', { ack: 6, resolve: 40 });
  handle(alarm('SA-S2', at(15)), at(15), 'li.bin', { ack: 1, onSite: 10, resolve: 16 });
  handle(trapped('EL-S1', at(14)), at(14), 'lift.two', { ack: 1, onSite: 14, resolve: 20, outcome: 'rescued' });
  // 2025-12-01 00:30 in Shanghai is still 30 November in UTC: it belongs to December at that site.
  const december = Date.UTC(2025, 10, 30, 16, 30, 0);
  handle(alarm('SA-N1', december), december, 'li.bin', { ack: 1, resolve: 5 });
  return [...latest.values()];
}

const sites = new Map<string, ReportSite>(registry.sites.map((s) => [s.id, { timezone: s.timezone, escalation: resolveEscalationPolicy() }]));
const stat = (count: number, medianS: number | null, p90S: number | null) => ({ count, medianS, p90S });
const none = stat(0, null, null);

describe('percentile (type 7: linear interpolation between closest ranks)', () => {
  it('matches the definition on small samples', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    // h = (10 - 1) * 0.9 = 8.1: x[8] + 0.1 (x[9] - x[8])
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 20], 0.9)).toBeCloseTo(10.1, 10);
  });
});

describe('response-time report over a simulated day', () => {
  const alerts = simulatedDay();
  const report = responseReport({ alerts, sites, roleOf: (id) => ROLES[id], month: '2025-11', now: DAY + 30 * 24 * H });
  const find = (list: ReportGroup[], site: string, team: string) => list.find((g) => g.site === site && g.team === team);

  it('per site and team: counts, medians and p90 match the hand computation', () => {
    expect(report.groups.map((g) => `${g.site}/${g.team}`)).toEqual(['north/maintainer', 'north/staff', 'south/maintainer', 'south/staff', 'south/supervisor']);
    // north/staff: ack 2, 4, 8 min -> [120, 240, 480] s: median 240; p90 h = 2 * 0.9 = 1.8 -> 240 + 0.8 * 240 = 432.
    // on site 12, 20, 15 min -> [720, 900, 1200]: median 900; p90 900 + 0.8 * 300 = 1140.
    // resolve 30, 50, 25 min -> [1500, 1800, 3000]: median 1800; p90 1800 + 0.8 * 1200 = 2760.
    expect(find(report.groups, 'north', 'staff')).toEqual({
      site: 'north',
      timezone: 'Asia/Shanghai',
      month: '2025-11',
      team: 'staff',
      alerts: 3,
      acknowledge: stat(3, 240, 432),
      onSite: stat(3, 900, 1140),
      resolve: stat(3, 1800, 2760),
      rescue: { ...none, targetS: 1800, overTarget: 0 },
      // Acknowledged after 8 min: over the 5-min critical tier.
      overTarget: { acknowledge: 1, rescue: 0, alerts: 1 },
    });
    // The entrapment: on site after 35 min, over the 30-min target.
    expect(find(report.groups, 'north', 'maintainer')).toMatchObject({ alerts: 1, acknowledge: stat(1, 180, 180), onSite: stat(1, 2100, 2100), resolve: stat(1, 2700, 2700), rescue: { ...stat(1, 2100, 2100), overTarget: 1 }, overTarget: { acknowledge: 0, rescue: 1, alerts: 1 } });
    expect(find(report.groups, 'south', 'maintainer')).toMatchObject({ alerts: 1, rescue: { ...stat(1, 840, 840), overTarget: 0 }, overTarget: { alerts: 0 } });
    expect(find(report.groups, 'south', 'supervisor')).toMatchObject({ alerts: 1, acknowledge: stat(1, 360, 360), onSite: none, resolve: stat(1, 2400, 2400), overTarget: { acknowledge: 1, alerts: 1 } });
    expect(find(report.groups, 'south', 'staff')).toMatchObject({ alerts: 1, acknowledge: stat(1, 60, 60), onSite: stat(1, 600, 600), resolve: stat(1, 960, 960) });
  });

  it('per site totals, with the December alert (in the site\'s zone) left out of November', () => {
    // north: ack [120, 180, 240, 480]: median (180 + 240) / 2 = 210; p90 h = 3 * 0.9 = 2.7 -> 240 + 0.7 * 240 = 408.
    // on site [720, 900, 1200, 2100]: median 1050; p90 1200 + 0.7 * 900 = 1830.
    // resolve [1500, 1800, 2700, 3000]: median 2250; p90 2700 + 0.7 * 300 = 2910.
    expect(find(report.sites, 'north', 'all')).toMatchObject({
      alerts: 4,
      acknowledge: stat(4, 210, 408),
      onSite: stat(4, 1050, 1830),
      resolve: stat(4, 2250, 2910),
      rescue: { ...stat(1, 2100, 2100), overTarget: 1 },
      overTarget: { acknowledge: 1, rescue: 1, alerts: 2 },
    });
    // south: ack [60, 60, 360]: median 60; p90 h = 1.8 -> 60 + 0.8 * 300 = 300. On site [600, 840]: median 720; p90 h = 0.9 -> 600 + 0.9 * 240 = 816.
    // resolve [960, 1200, 2400]: median 1200; p90 1200 + 0.8 * 1200 = 2160.
    expect(find(report.sites, 'south', 'all')).toMatchObject({
      alerts: 3,
      acknowledge: stat(3, 60, 300),
      onSite: stat(2, 720, 816),
      resolve: stat(3, 1200, 2160),
      rescue: { ...stat(1, 840, 840), overTarget: 0 },
      overTarget: { acknowledge: 1, rescue: 0, alerts: 1 },
    });
    const december = responseReport({ alerts, sites, roleOf: (id) => ROLES[id], month: '2025-12', now: DAY + 30 * 24 * H });
    expect(december.groups.map((g) => [g.site, g.team, g.alerts, g.acknowledge.medianS])).toEqual([['north', 'staff', 1, 60]]);
  });

  it('filters by team, and counts an entrapment still waiting past 30 minutes as over target', () => {
    const staff = responseReport({ alerts, sites, roleOf: (id) => ROLES[id], month: '2025-11', team: 'staff', now: DAY + 30 * 24 * H });
    expect(staff.groups.map((g) => `${g.site}/${g.team}:${g.alerts}`)).toEqual(['north/staff:3', 'south/staff:1']);
    const trapped = alerts.find((a) => a.site === 'north' && a.rule === 'elevator.entrapment');
    if (!trapped) throw new Error('no entrapment');
    const start = trapped.openedAt;
    const waiting: Alert = { ...trapped, state: 'acknowledged', timeline: trapped.timeline.filter((e) => e.action === 'opened' || e.action === 'acknowledged') };
    const at = (now: number) => responseReport({ alerts: [waiting], sites, roleOf: (id) => ROLES[id], month: '2025-11', now }).sites[0]?.rescue.overTarget;
    expect(at(start + 29 * MIN)).toBe(0);
    expect(at(start + 31 * MIN)).toBe(1);
  });
});
