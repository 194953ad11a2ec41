import type { RuleOverrides } from '@hearthbeat/contracts';
import { parseDuration } from './durations';
import { buildOverrides } from './rule-overrides';
import { parseCliArgs, UsageError } from './usage-error';

export interface BacktestOptions {
  help: boolean;
  registry: string;
  input: string;
  output: string;
  overrides: RuleOverrides;
  ackAfterMs: number | null;
  resolveAfterMs: number | null;
  /** The simulator's answers.jsonl: check-in calls on at every site, answered as the file says. */
  answers?: string;
  quiet: boolean;
}

export const BACKTEST_HELP = `Usage: npm run backtest -- --registry FILE --input FILE --output FILE [options]

Replays a message log (protocol.md "Replay files") through the rules core in virtual time and writes
every alert state change as an alert-file line. Summary on stderr.

  --registry FILE        registry file (protocol.md): devices, residents, elevators, away periods, rules
  --input FILE           message log, one {"t","topic","payload"} a line, in t order
  --output FILE          alert file to write, one state change a line
  --ack-after DUR        modelled staff acknowledge each alert this long after it opens (default 10m; "never")
  --resolve-after DUR    ... and resolve it with outcome "safe" (default 2h; "never")
  --rule RULE.PARAM=V    what-if parameter for every subject, e.g. water.no_activity.windowS=86400 (repeatable)
  --rules FILE           what-if overrides as JSON, the registry's "rules" shape
  --disable RULE         switch a rule off (repeatable), e.g. water.routine_deviation
  --answers FILE         the residents' answers to check-in calls (the simulator's answers.jsonl): turns the
                         check-in call step on at every site (default rules, 120 s) and answers each call
                         as the file says; without it no call is placed
  --quiet                no progress lines
  -h, --help             this text

Durations: 90s, 10m, 2h, 1.5h, or a number of seconds. Exit status: 0 done, 1 failed, 2 bad usage.
`;

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  registry: { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  'ack-after': { type: 'string' },
  'resolve-after': { type: 'string' },
  rule: { type: 'string', multiple: true },
  rules: { type: 'string' },
  disable: { type: 'string', multiple: true },
  answers: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export function parseBacktestOptions(argv: readonly string[]): BacktestOptions {
  const values = parseCliArgs(argv, SPEC);
  const help = values.help === true;
  const need = (name: 'registry' | 'input' | 'output'): string => {
    const v = values[name];
    if (v === undefined || v === '') {
      if (help) return '';
      throw new UsageError(`--${name} FILE is required`);
    }
    return v;
  };
  return {
    help,
    registry: need('registry'),
    input: need('input'),
    output: need('output'),
    overrides: buildOverrides({ rulesFile: values.rules, rule: values.rule ?? [], disable: values.disable ?? [] }),
    ackAfterMs: values['ack-after'] !== undefined ? parseDuration('--ack-after', values['ack-after']) : 10 * 60_000,
    resolveAfterMs: values['resolve-after'] !== undefined ? parseDuration('--resolve-after', values['resolve-after']) : 2 * 3_600_000,
    ...(values.answers !== undefined ? { answers: values.answers } : {}),
    quiet: values.quiet === true,
  };
}
