import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../test-support/files.test-helpers';
import { parseBacktestOptions } from './backtest-options';
import { mergeOverrides, parseAssignment, withOverrides } from './rule-overrides';
import { UsageError } from './usage-error';

const base = ['--registry', 'r.json', '--input', 'm.jsonl', '--output', 'a.jsonl'];

describe('backtest command line', () => {
  it('needs the three files and models staff per protocol.md by default (ack 10 min, resolve 2 h)', () => {
    const o = parseBacktestOptions(base);
    expect(o).toMatchObject({ registry: 'r.json', input: 'm.jsonl', output: 'a.jsonl', ackAfterMs: 600_000, resolveAfterMs: 7_200_000, overrides: {} });
    expect(() => parseBacktestOptions(['--input', 'm', '--output', 'a'])).toThrow('--registry FILE is required');
    expect(() => parseBacktestOptions([...base, '--bogus'])).toThrow(UsageError);
    expect(parseBacktestOptions(['--help']).help).toBe(true);
  });

  it('reads staff timings', () => {
    expect(parseBacktestOptions([...base, '--ack-after', '5m', '--resolve-after', 'never'])).toMatchObject({ ackAfterMs: 300_000, resolveAfterMs: null });
    expect(() => parseBacktestOptions([...base, '--ack-after', 'soon'])).toThrow('--ack-after: "soon" is not a duration');
  });

  it('validates what-if parameters against the contracts schemas, naming the mistake', () => {
    const o = parseBacktestOptions([...base, '--rule', 'water.no_activity.windowS=86400', '--rule', 'water.no_activity.minLiters=5', '--disable', 'water.routine_deviation']);
    expect(o.overrides).toEqual({ 'water.no_activity': { windowS: 86400, minLiters: 5 }, 'water.routine_deviation': { enabled: false } });
    expect(() => parseBacktestOptions([...base, '--rule', 'water.no_activity.windowS=-5'])).toThrow(/--rule water.no_activity.windowS=-5: water.no_activity.windowS: .*>=1/);
    expect(() => parseBacktestOptions([...base, '--rule', 'water.no_activity.windowX=5'])).toThrow('water.no_activity has no parameter "windowX"; it has enabled, cooldownS, windowS, minLiters');
    expect(() => parseBacktestOptions([...base, '--rule', 'water.nothing.windowS=5'])).toThrow('unknown rule "water.nothing"');
    expect(() => parseBacktestOptions([...base, '--rule', 'water.no_activity.windowS=long'])).toThrow(/expected number/);
    expect(() => parseBacktestOptions([...base, '--rule', 'windowS'])).toThrow('expected RULE.PARAM=VALUE');
    expect(() => parseBacktestOptions([...base, '--disable', 'water.nothing'])).toThrow('--disable water.nothing: unknown rule');
  });

  it('reads an overrides file (the registry "rules" shape); --rule and --disable win over it', () => {
    const dir = tempDir();
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ 'water.no_activity': { windowS: 43200, minLiters: 10 }, 'elevator.entrapment': { afterS: 45 } }));
    const o = parseBacktestOptions([...base, '--rules', file, '--rule', 'water.no_activity.windowS=86400']);
    expect(o.overrides).toEqual({ 'water.no_activity': { windowS: 86400, minLiters: 10 }, 'elevator.entrapment': { afterS: 45 } });
    writeFileSync(file, JSON.stringify({ 'water.no_activity': { window: 1 } }));
    expect(() => parseBacktestOptions([...base, '--rules', file])).toThrow(/--rules .*rules.json: water.no_activity: /);
    expect(() => parseBacktestOptions([...base, '--rules', join(dir, 'missing.json')])).toThrow(/cannot read a JSON object/);
  });

  it('applies what-ifs over every subject, above the registry site and subject settings', () => {
    const reg = {
      sites: [{ id: 's', timezone: 'Asia/Shanghai', rules: { 'water.no_activity': { windowS: 3600 } } }],
      residents: [{ id: 'R-1', site: 's', devices: [], rules: { 'water.no_activity': { minLiters: 3, windowS: 7200 } } }],
      elevators: [],
      devices: [],
    };
    const out = withOverrides(reg, parseAssignment('water.no_activity.windowS=86400'));
    expect(out.residents[0]?.rules).toEqual({ 'water.no_activity': { minLiters: 3, windowS: 86400 } });
    expect(mergeOverrides(undefined, {})).toEqual({});
  });
});
