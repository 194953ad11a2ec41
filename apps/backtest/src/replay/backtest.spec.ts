import { formatSummary, runBacktest } from './backtest';
import { parseBacktestOptions } from '../cli/backtest-options';
import { H, MIN, msg, readAlertLines, smallRegistry, T0, tempDir, writeJson, writeLines } from '../test-support/files.test-helpers';

/** A resident with only a smoke alarm (heartbeat hourly): its alarm is the alert under test. */
const smokeOnly = smallRegistry({
  residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['SA-0001'] }],
  devices: [{ id: 'SA-0001', kind: 'smoke_alarm', reportIntervalS: 3600 }],
});
const heartbeats = (hours: number) => Array.from({ length: hours + 1 }, (_, i) => msg(T0 + i * H, 'hb/v1/SA-0001/telemetry', { ts: T0 + i * H - 500, seq: 100 + i, batteryPct: 90 }));

async function backtest(lines: object[] | string[], extra: string[] = [], registry = smokeOnly) {
  const dir = tempDir();
  const sorted = [...lines].sort((a, b) => (typeof a === 'string' || typeof b === 'string' ? 0 : (a as { t: number }).t - (b as { t: number }).t));
  const o = parseBacktestOptions([
    '--registry', writeJson(dir, 'registry.json', registry),
    '--input', writeLines(dir, 'messages.jsonl', sorted),
    '--output', `${dir}/alerts.jsonl`,
    ...extra,
  ]);
  const summary = await runBacktest(o);
  return { summary, alerts: readAlertLines(`${dir}/alerts.jsonl`) };
}
const states = (alerts: ReturnType<typeof readAlertLines>) => alerts.map((a) => [a.rule, a.state, (a.t - T0) / MIN, a.outcome ?? '']);

describe('backtest: the rules core in virtual time with modelled staff', () => {
  it('opens, acknowledges after 10 min and resolves "safe" after 2 h (protocol.md staff model)', async () => {
    const { alerts, summary } = await backtest([...heartbeats(4), msg(T0 + 30 * MIN + 800, 'hb/v1/SA-0001/event', { ts: T0 + 30 * MIN, seq: 1, event: 'alarm' })]);
    expect(states(alerts)).toEqual([
      ['smoke.alarm', 'open', 30 + 800 / MIN, ''],
      ['smoke.alarm', 'acknowledged', 40 + 800 / MIN, ''],
      ['smoke.alarm', 'resolved', 150 + 800 / MIN, 'safe'],
    ]);
    expect(alerts[0]).toMatchObject({ alertId: 'AL-000001', severity: 'critical', subject: { type: 'resident', id: 'R-0001' }, deviceId: 'SA-0001' });
    expect(summary).toMatchObject({ opened: { 'smoke.alarm': 1 }, alertLines: 3, acknowledged: 1, resolved: 1 });
  });

  it('takes other staff timings, and "never"', async () => {
    const { alerts } = await backtest([...heartbeats(4), msg(T0 + 30 * MIN, 'hb/v1/SA-0001/event', { ts: T0 + 30 * MIN, seq: 1, event: 'alarm' })], ['--ack-after', '5m', '--resolve-after', 'never']);
    expect(states(alerts)).toEqual([
      ['smoke.alarm', 'open', 30, ''],
      ['smoke.alarm', 'acknowledged', 35, ''],
    ]);
  });

  it('stops at the last line: nothing after the log ends (no staff, no deadlines)', async () => {
    const { alerts } = await backtest([msg(T0, 'hb/v1/SA-0001/event', { ts: T0, seq: 1, event: 'alarm' }), msg(T0 + 20 * MIN, 'hb/v1/SA-0001/telemetry', { ts: T0 + 20 * MIN, seq: 2 })]);
    expect(states(alerts)).toEqual([
      ['smoke.alarm', 'open', 0, ''],
      ['smoke.alarm', 'acknowledged', 10, ''],
    ]);
  });

  it('leaves alone an alert that resolved itself before the staff came (offline meter back online)', async () => {
    const reg = smallRegistry({ residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', devices: ['WM-0001'] }], devices: [{ id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900 }] });
    const reading = (m: number, seq: number) => msg(T0 + m * MIN, 'hb/v1/WM-0001/telemetry', { ts: T0 + m * MIN, seq, totalL: 100 });
    const lines = [reading(0, 0), reading(35, 1), ...Array.from({ length: 12 }, (_, i) => reading(45 + i * 15, 2 + i))];
    const { alerts } = await backtest(lines, [], reg);
    // Offline after 2 x 15 min; back at 35 min; resolves itself 15 min (cooldownS 900) later, before anyone came.
    expect(states(alerts)).toEqual([
      ['water.meter_offline', 'open', 30, ''],
      ['water.meter_offline', 'acknowledged', 40, ''],
      ['water.meter_offline', 'resolved', 50, 'auto_cleared'],
    ]);
  });

  it('counts bad lines by reason and never stops for them', async () => {
    const lines = [
      JSON.stringify(msg(T0, 'hb/v1/SA-0001/telemetry', { ts: T0, seq: 1 })),
      '{"t": 17',
      JSON.stringify({ topic: 'hb/v1/SA-0001/event' }),
      JSON.stringify(msg(T0 + MIN, 'hb/v1/SA-0001/event', '{"ts":17932')),
      JSON.stringify(msg(T0 + 2 * MIN, 'hb/v1/SA-0001/event', { ts: T0, event: 'ALARM' })),
      JSON.stringify(msg(T0 + 3 * MIN, 'hb/v1/XX-0001/event', { ts: T0, event: 'alarm' })),
      JSON.stringify(msg(T0 + 1, 'hb/v1/SA-0001/event', { ts: T0, seq: 9, event: 'alarm' })), // t goes backwards
      '',
      JSON.stringify(msg(T0 + 4 * MIN, 'hb/v1/SA-0001/event', { ts: T0 + 4 * MIN, seq: 2, event: 'alarm' })),
    ];
    const { alerts, summary } = await backtest(lines);
    expect(summary.stats).toMatchObject({ lines: 8, accepted: 2, rejected: { line_not_json: 1, line_invalid: 1, not_json: 1, unknown_enum: 1, unknown_device: 1, line_out_of_order: 1 } });
    expect(alerts.map((a) => [a.rule, a.t - T0])).toEqual([['smoke.alarm', 4 * MIN]]);
    const text = formatSummary(summary);
    expect(text).toMatch(/^backtest: 8 lines \(2 messages to the rules, 6 rejected\) in [\d.]+ s, \d+ lines\/s covering 0.0 days of virtual time/);
    expect(text).toContain('smoke.alarm');
    expect(text).toMatch(/line_not_json +1/);
  });

  it('applies what-if parameters and --disable', async () => {
    const lines = [...heartbeats(4), msg(T0 + 30 * MIN, 'hb/v1/SA-0001/event', { ts: T0 + 30 * MIN, seq: 1, event: 'alarm' })];
    expect((await backtest(lines, ['--disable', 'smoke.alarm'])).alerts).toEqual([]);
  });
});

describe('backtest --answers: check-in calls answered as the simulated residents would', () => {
  const meterOnly = smallRegistry({
    residents: [{ id: 'R-0001', site: 'jiangsu-road', name: 'Wang', phone: '+86 21 5555 0101', devices: ['WM-0001'] }],
    devices: [{ id: 'WM-0001', kind: 'water_meter', reportIntervalS: 900 }],
  });
  // 14 h of readings and no water at all: water.no_activity (12 h while the routine is learned) opens at 12 h.
  const silent = Array.from({ length: 57 }, (_, i) => msg(T0 + i * 15 * MIN, 'hb/v1/WM-0001/telemetry', { ts: T0 + i * 15 * MIN, seq: i, totalL: 100 }));

  async function withAnswers(answers: object[]) {
    const dir = tempDir();
    const run = await backtest(silent, ['--answers', writeLines(dir, 'answers.jsonl', answers)], meterOnly);
    return { ...run, steps: run.alerts.map((a) => [a.state, a.outcome ?? '']) };
  }

  it('an answered call settles the alert as safe; the summary counts the call', async () => {
    const { alerts, steps, summary } = await withAnswers([{ subject: 'R-0001', answered: 1, help: 0 }]);
    expect(alerts[0]).toMatchObject({ rule: 'water.no_activity', state: 'open' });
    expect(steps).toEqual([
      ['open', ''],
      ['resolved', 'safe'],
    ]);
    // Answered 15-60 s after it was placed (at the opening).
    const answeredAfter = (alerts[1]?.t ?? 0) - (alerts[0]?.t ?? 0);
    expect(answeredAfter).toBeGreaterThanOrEqual(15_000);
    expect(answeredAfter).toBeLessThanOrEqual(60_000);
    expect(summary.calls).toEqual({ placed: 1, routine: 0, answeredWell: 1, needsHelp: 0, unanswered: 0 });
    expect(formatSummary(summary)).toContain('check-in calls: 1 placed (0 before an alert, 1 on alerts): 1 answered well, 0 asked for help, 0 unanswered');
  });

  it('a fallen resident (an interval answering 0) does not answer: the alert goes to staff after the timeout', async () => {
    const fallFrom = T0 + 6 * H;
    const { alerts, steps, summary } = await withAnswers([
      { subject: 'R-0001', answered: 1, help: 0 },
      { subject: 'R-0001', from: fallFrom, to: fallFrom + 20 * H, answered: 0, help: 0, why: 'fall' },
    ]);
    // Open, then the modelled staff acknowledge at 10 min and resolve at 2 h: the call never closed it.
    expect(steps).toEqual([
      ['open', ''],
      ['acknowledged', ''],
      ['resolved', 'safe'],
    ]);
    expect((alerts[2]?.t ?? 0) - (alerts[0]?.t ?? 0)).toBe(2 * H);
    expect(summary.calls).toMatchObject({ placed: 1, answeredWell: 0, unanswered: 1 });
  });

  it('refuses a malformed answers file, naming the line and field', async () => {
    await expect(withAnswers([{ subject: 'R-0001', answered: 0.9, help: 0.5 }])).rejects.toThrow(/answers\.jsonl:1: answered \+ help must be at most 1$/);
  });
});
