import type { AlertFileLine, RegistryFile, TruthLine } from '@hearthbeat/contracts';
import { H, MIN, T0 } from '../test-support/files.test-helpers';
import { goalsOf } from './goals';
import { markdownReport } from './report-markdown';
import { formatReport } from './report-text';
import { score } from './score';

const DAY = 24 * H;
const at = (day: number, hour: number) => T0 + day * DAY + hour * H;
const registry: RegistryFile = {
  sites: [{ id: 's', name: 'S', timezone: 'Asia/Shanghai' }],
  residents: [
    { id: 'R-1', site: 's', name: '', devices: ['WM-1', 'SA-1'], away: [{ from: at(5, 8), to: at(6, 20) }] },
    { id: 'R-2', site: 's', name: '', devices: ['WM-2', 'SA-2'] },
  ],
  elevators: [],
  devices: [],
};
const truth: TruthLine[] = [
  { subject: 'R-1', kind: 'fall', start: at(2, 10), end: at(2, 14) },
  { subject: 'R-2', kind: 'fire', start: at(3, 12), end: at(3, 12.5), deviceId: 'SA-2' },
  { subject: 'R-1', kind: 'away', start: at(5, 8), end: at(6, 20) },
  { subject: 'R-2', kind: 'fall', start: at(8, 9), end: at(8, 10) },
];
let n = 0;
const alert = (rule: string, subject: string, t: number, state: AlertFileLine['state'] = 'open', type: 'resident' | 'device' = 'resident'): AlertFileLine => ({
  t,
  alertId: `AL-${++n}`,
  rule,
  state,
  severity: 'high',
  subject: { type, id: subject },
  reason: 'test',
});
const platformAlerts = [
  alert('water.routine_deviation', 'R-1', at(2, 12)), // detects the fall after 2 h
  alert('water.routine_deviation', 'R-1', at(2, 12.5), 'acknowledged'), // not an opening
  alert('water.no_activity', 'R-1', at(2, 13)), // later: not the detection; explained by the fall
  alert('water.continuous_flow', 'R-1', at(2, 14.5)), // a fall day, not explained by it: reported, not scored
  alert('water.routine_deviation', 'R-1', at(4, 8)), // clean day: false
  alert('water.no_activity', 'R-1', at(5, 12)), // announced away: not scored, reported
  alert('smoke.alarm', 'R-2', at(3, 12 + 5 / 60)), // detects the fire after 5 min
  alert('device.low_battery', 'SA-2', at(7, 10), 'open', 'device'), // counts for R-2, clean day: false
  alert('water.routine_deviation', 'R-2', at(9, 15)), // clean day: false
  alert('water.routine_deviation', 'R-2', at(10, 1)), // after the window
];
const baselineAlerts = [
  alert('water.no_activity', 'R-1', at(2, 21)), // too late for the fall (ended 14:00, grace 1 h)
  alert('water.no_activity', 'R-2', at(8, 9.5)), // R-2's fall after 30 min
  alert('water.no_activity', 'R-1', at(0, 20)),
  alert('water.no_activity', 'R-1', at(1, 20)),
  alert('water.no_activity', 'R-1', at(3, 20)),
  alert('smoke.alarm', 'R-2', at(3, 12 + 5 / 60)),
];
const window = { registry, truth, from: T0, to: at(10, 0), graceMs: H };

describe('evaluation against ground truth (hand-computed)', () => {
  const p = score({ ...window, alerts: platformAlerts });
  const b = score({ ...window, alerts: baselineAlerts });

  it('detects by the first relevant opening on the subject within [start, end + grace]', () => {
    expect(p.kinds.find((k) => k.kind === 'fall')).toMatchObject({ incidents: 2, detected: 1, rate: 0.5, ttaMs: [2 * H], ttaMedianMs: 2 * H, byRule: { 'water.routine_deviation': 1 } });
    expect(p.kinds.find((k) => k.kind === 'fall')?.missed).toEqual([{ subject: 'R-2', kind: 'fall', start: at(8, 9), end: at(8, 10) }]);
    expect(p.kinds.find((k) => k.kind === 'fire')).toMatchObject({ detected: 1, ttaMs: [5 * MIN] });
    expect(p.kinds.find((k) => k.kind === 'away')).toMatchObject({ rate: null, alertsDuring: 1 });
    expect(b.kinds.find((k) => k.kind === 'fall')).toMatchObject({ detected: 1, ttaMs: [30 * MIN] });
  });

  it('counts false alerts on incident-free days only, per 30 such days, device alerts for their owner', () => {
    // Clean days: R-1 10 - 3 (fall; away over two days) = 7, R-2 10 - 2 (fire, fall) = 8.
    expect(p.cleanResidentDays).toBe(15);
    const f = (rule: string) => p.falseByRule.find((x) => x.rule === rule);
    expect(f('water.routine_deviation')).toMatchObject({ falseAlerts: 2, perSubjectMonth: 4 });
    expect(f('device.low_battery')).toMatchObject({ falseAlerts: 1, perSubjectMonth: 2 });
    expect(f('water.no_activity')).toMatchObject({ falseAlerts: 0, unexplainedOnIncidentDays: 1 });
    expect(f('water.continuous_flow')).toMatchObject({ falseAlerts: 0, unexplainedOnIncidentDays: 1 });
    expect(f('smoke.alarm')).toBeUndefined();
    expect(p.duringAnnouncedAway).toEqual({ 'water.no_activity': 1 });
    expect(p.openings).toBe(8);
  });

  it('checks the goals against the fixed rule', () => {
    const g = goalsOf(p, b);
    expect(g.everyFall).toEqual({ detected: 1, incidents: 2, met: false });
    expect(g.fallMedian).toEqual({ platformMs: 2 * H, baselineMs: 30 * MIN, ratio: 4, met: false });
    expect(g.falseNoActivity).toEqual({ platform: 4, baseline: 6, ratio: 4 / 6, met: false });
    const text = formatReport({ timeZone: 'Asia/Shanghai', platform: p, baseline: b, goals: g, platformLabel: 'p', baselineLabel: 'b' });
    expect(text).toContain('Evaluation 2026-11-02 to 2026-11-11 (Asia/Shanghai): 2 residents');
    expect(text).toMatch(/fall +2 +1\/2 50% +2\.0 h +2\.0 h +1\/2 50% +0\.5 h/);
    expect(text).toContain('  fall R-2 2026-11-10 09:00, 1.0 h');
    expect(text).toContain('every fall detected (fall + fall_in_shower): 1/2 NOT MET');
    const md = markdownReport({ timeZone: 'Asia/Shanghai', platform: p, baseline: b, goals: g, platformLabel: 'p', baselineLabel: 'b' }, { command: 'npm run evaluate:report', simulation: 'sim', generatedAt: '2026-11-21' });
    expect(md).toContain('| fall | 2 | 1/2 50% | 2.0 h | 2.0 h | 1/2 50% | 0.5 h | 0.5 h | water.routine_deviation \\| water.no_activity |');
    expect(md).toContain('- fall R-2: 2026-11-10 09:00, lasting 1.0 h');
  });
});
