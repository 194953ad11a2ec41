import { parseEvaluateOptions } from './evaluate-options';
import { UsageError } from './usage-error';

const need = ['--truth', 't.jsonl', '--registry', 'r.json'];

describe('evaluate command line', () => {
  it('replays both configurations from a log, or scores alert files', () => {
    expect(parseEvaluateOptions([...need, '--input', 'm.jsonl'])).toMatchObject({ input: 'm.jsonl', baseline: true, graceMs: 3_600_000, ackAfterMs: 600_000, resolveAfterMs: 7_200_000 });
    expect(parseEvaluateOptions([...need, '--input', 'm.jsonl', '--no-baseline']).baseline).toBe(false);
    expect(parseEvaluateOptions([...need, '--alerts', 'a.jsonl'])).toMatchObject({ alerts: 'a.jsonl', baseline: false });
    expect(parseEvaluateOptions([...need, '--alerts', 'a.jsonl', '--baseline-alerts', 'b.jsonl'])).toMatchObject({ baselineAlerts: 'b.jsonl', baseline: true });
  });

  it('refuses mixed or missing modes with the option named', () => {
    expect(() => parseEvaluateOptions(need)).toThrow('give either --input FILE (replay both configurations) or --alerts FILE');
    expect(() => parseEvaluateOptions([...need, '--input', 'm', '--alerts', 'a'])).toThrow(UsageError);
    expect(() => parseEvaluateOptions(['--registry', 'r', '--input', 'm'])).toThrow('--truth FILE is required');
    expect(() => parseEvaluateOptions([...need, '--alerts', 'a', '--rule', 'water.no_activity.windowS=3600'])).toThrow('--rule needs --input');
    expect(() => parseEvaluateOptions([...need, '--input', 'm', '--baseline-alerts', 'b'])).toThrow('--baseline-alerts goes with --alerts');
    expect(() => parseEvaluateOptions([...need, '--input', 'm', '--grace', 'soon'])).toThrow('--grace: "soon" is not a duration');
  });

  it('takes what-ifs for the platform pass, a grace and a window', () => {
    const o = parseEvaluateOptions([...need, '--input', 'm', '--rule', 'water.routine_deviation.lateMarginMinutes=90', '--grace', '2h', '--from', '2026-11-16', '--out', 'r.json']);
    expect(o).toMatchObject({ overrides: { 'water.routine_deviation': { lateMarginMinutes: 90 } }, graceMs: 7_200_000, from: '2026-11-16', out: 'r.json' });
  });
});
