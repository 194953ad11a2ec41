import type { RuleOverrides } from '@hearthbeat/contracts';
import { parseDuration } from './durations';
import { buildOverrides } from './rule-overrides';
import { parseCliArgs, UsageError } from './usage-error';

export interface EvaluateOptions {
  help: boolean;
  truth: string;
  registry: string;
  /** Mode 1: score alert files written by backtests. */
  alerts?: string;
  baselineAlerts?: string;
  /** Mode 2: replay this log twice in one process (platform and fixed rule) and score both. */
  input?: string;
  baseline: boolean;
  alertsOut?: string;
  baselineAlertsOut?: string;
  overrides: RuleOverrides;
  ackAfterMs: number | null;
  resolveAfterMs: number | null;
  /** With --input: the simulator's answers.jsonl; the platform pass places check-in calls (not the fixed rule). */
  answers?: string;
  /** Scored window; dates are read in the first site's zone once the registry is known. */
  from?: string;
  to?: string;
  graceMs: number;
  out?: string;
  quiet: boolean;
}

export const EVALUATE_HELP = `Usage:
  npm run evaluate -- --truth FILE --registry FILE --input FILE [options]        (replays both configurations)
  npm run evaluate -- --truth FILE --registry FILE --alerts FILE [--baseline-alerts FILE] [options]

Scores alerts against the simulator's ground truth (docs/evaluation.md): detection rate and time-to-alert
per incident kind, false alerts per resident-month by rule on incident-free days, alerts during announced
absences, every missed incident; the platform beside the fixed Shanghai rule (< 10 L in 12 h).

  --truth FILE              truth.jsonl from the simulator
  --registry FILE           registry.json (residents, devices, announced absences, time zone)
  --input FILE              message log: run the platform (registry rules + what-ifs) and the fixed rule
                            (water.no_activity 43200 s / 10 L, water.routine_deviation off) in one pass
  --alerts FILE             an alert file from a backtest (instead of --input)
  --baseline-alerts FILE    the fixed rule's alert file, scored beside it
  --no-baseline             with --input: the platform pass only
  --alerts-out FILE         with --input: keep the platform's alert file
  --baseline-alerts-out FILE   ... and the fixed rule's
  --rule RULE.PARAM=V, --rules FILE, --disable RULE, --ack-after DUR, --resolve-after DUR
                            with --input: as for the backtest (what-ifs apply to the platform pass)
  --answers FILE            with --input: the residents' answers to check-in calls (answers.jsonl): the
                            platform pass rings residents (check-in step on at every site), the fixed rule not
  --from DATE, --to DATE    scored window [from, to): YYYY-MM-DD (local midnight) or an instant; default the
                            whole log (or the span of the alert and truth files)
  --grace DUR               an alert up to this long after an incident ends still detects it (default 1h)
  --out FILE                write the report as JSON
  --quiet                   no progress lines
  -h, --help                this text
`;

const SPEC = {
  help: { type: 'boolean', short: 'h' },
  truth: { type: 'string' },
  registry: { type: 'string' },
  alerts: { type: 'string' },
  'baseline-alerts': { type: 'string' },
  input: { type: 'string' },
  'no-baseline': { type: 'boolean' },
  'alerts-out': { type: 'string' },
  'baseline-alerts-out': { type: 'string' },
  rule: { type: 'string', multiple: true },
  rules: { type: 'string' },
  disable: { type: 'string', multiple: true },
  'ack-after': { type: 'string' },
  'resolve-after': { type: 'string' },
  answers: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  grace: { type: 'string' },
  out: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export function parseEvaluateOptions(argv: readonly string[]): EvaluateOptions {
  const values = parseCliArgs(argv, SPEC);
  const help = values.help === true;
  if (help) return { help, truth: '', registry: '', baseline: false, overrides: {}, ackAfterMs: null, resolveAfterMs: null, graceMs: 0, quiet: true };
  if (!values.truth) throw new UsageError('--truth FILE is required');
  if (!values.registry) throw new UsageError('--registry FILE is required');
  if ((values.input === undefined) === (values.alerts === undefined)) throw new UsageError('give either --input FILE (replay both configurations) or --alerts FILE');
  const replayOnly = ['alerts-out', 'baseline-alerts-out', 'rule', 'rules', 'disable', 'ack-after', 'resolve-after', 'no-baseline', 'answers'] as const;
  if (values.input === undefined) for (const o of replayOnly) if (values[o] !== undefined) throw new UsageError(`--${o} needs --input`);
  if (values.input !== undefined && values['baseline-alerts'] !== undefined) throw new UsageError('--baseline-alerts goes with --alerts; with --input the fixed rule is replayed');
  const grace = parseDuration('--grace', values.grace ?? '1h');
  return {
    help,
    truth: values.truth,
    registry: values.registry,
    ...(values.alerts !== undefined ? { alerts: values.alerts } : {}),
    ...(values['baseline-alerts'] !== undefined ? { baselineAlerts: values['baseline-alerts'] } : {}),
    ...(values.input !== undefined ? { input: values.input } : {}),
    baseline: values['no-baseline'] !== true && (values.input !== undefined || values['baseline-alerts'] !== undefined),
    ...(values['alerts-out'] !== undefined ? { alertsOut: values['alerts-out'] } : {}),
    ...(values['baseline-alerts-out'] !== undefined ? { baselineAlertsOut: values['baseline-alerts-out'] } : {}),
    overrides: buildOverrides({ rulesFile: values.rules, rule: values.rule ?? [], disable: values.disable ?? [] }),
    ackAfterMs: values['ack-after'] !== undefined ? parseDuration('--ack-after', values['ack-after']) : 10 * 60_000,
    resolveAfterMs: values['resolve-after'] !== undefined ? parseDuration('--resolve-after', values['resolve-after']) : 2 * 3_600_000,
    ...(values.answers !== undefined ? { answers: values.answers } : {}),
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    graceMs: grace ?? 0,
    ...(values.out !== undefined ? { out: values.out } : {}),
    quiet: values.quiet === true,
  };
}
