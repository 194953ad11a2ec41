import { writeFileSync } from 'node:fs';
import { alertFileLineSchema, truthLineSchema, type AlertFileLine, type RegistryFile, type RuleOverrides, type TruthLine } from '@hearthbeat/contracts';
import { siteTimeFor } from '@hearthbeat/rules-core';
import { parseInstant } from '../cli/durations';
import type { EvaluateOptions } from '../cli/evaluate-options';
import { SHANGHAI_BASELINE_ARGS, buildOverrides, mergeOverrides } from '../cli/rule-overrides';
import { parseWith, readJsonLines } from '../io/line-reader';
import { LineWriter } from '../io/line-writer';
import { loadRegistryFile } from '../io/registry-file';
import { CallAnswers, CallModel, replayRegistry, type CallCounts } from '../replay/call-model';
import { ReplayPass } from '../replay/replay-pass';
import { replayLog, type ReplayStats } from '../replay/replay';
import { goalsOf } from './goals';
import type { EvaluationResult } from './report-text';
import { score } from './score';

export interface EvaluationRun extends EvaluationResult {
  replay?: ReplayStats;
}

export type { CallCounts };
const DAY_MS = 86_400_000;

export const readTruth = (path: string): Promise<TruthLine[]> => readJsonLines(path, parseWith(truthLineSchema));
export const readAlerts = (path: string): Promise<AlertFileLine[]> => readJsonLines(path, parseWith(alertFileLineSchema));

/** The fixed-rule configuration: the platform's, with the Shanghai no-activity rule instead of the learned routine. */
export function baselineOverrides(platform: RuleOverrides): RuleOverrides {
  return mergeOverrides(platform, buildOverrides(SHANGHAI_BASELINE_ARGS));
}

function describe(o: RuleOverrides): string {
  const parts: string[] = [];
  for (const [rule, params] of Object.entries(o)) for (const [k, v] of Object.entries(params ?? {})) parts.push(`${rule}.${k}=${JSON.stringify(v)}`);
  return parts.join(', ');
}

/**
 * `npm run evaluate`: either replays the log twice in one read (platform and fixed rule) or reads alert
 * files, then scores each against the truth over the same window.
 */
export async function runEvaluate(o: EvaluateOptions, onProgress?: (s: ReplayStats) => void): Promise<EvaluationRun> {
  const registry = loadRegistryFile(o.registry);
  const timeZone = registry.sites[0]?.timezone ?? 'UTC';
  const time = siteTimeFor(timeZone);
  const truth = await readTruth(o.truth);
  const extra = describe(o.overrides);
  const platformLabel = `platform defaults and the registry's rules${extra ? `, what-if ${extra}` : ''}`;
  const baselineLabel = `the same with the fixed Shanghai rule: water.no_activity 10 L in 12 h (windowS 43200, minLiters 10), water.routine_deviation disabled`;
  let platformAlerts: AlertFileLine[];
  let baselineAlerts: AlertFileLine[] | undefined;
  let replay: ReplayStats | undefined;
  let calls: CallModel | undefined;
  let span: [number, number];
  if (o.input !== undefined) {
    const r = await replayBoth(o, registry, onProgress);
    platformAlerts = r.platform;
    baselineAlerts = r.baseline;
    replay = r.stats;
    calls = r.calls;
    const first = r.stats.firstT ?? 0;
    const last = r.stats.lastT ?? first;
    span = [time.dayStart(first), time.nextDayStart(last)];
  } else {
    platformAlerts = await readAlerts(o.alerts as string);
    if (o.baselineAlerts !== undefined) baselineAlerts = await readAlerts(o.baselineAlerts);
    const ts = [...platformAlerts.map((a) => a.t), ...(baselineAlerts ?? []).map((a) => a.t), ...truth.map((x) => x.start)];
    const first = ts.length > 0 ? Math.min(...ts) : 0;
    const last = ts.length > 0 ? Math.max(...ts) : first;
    span = [time.dayStart(first), time.nextDayStart(last)];
  }
  const from = o.from !== undefined ? parseInstant('--from', o.from, timeZone) : span[0];
  const to = o.to !== undefined ? parseInstant('--to', o.to, timeZone) : span[1];
  const window = { registry, truth, from, to, graceMs: o.graceMs };
  const platform = score({ ...window, alerts: platformAlerts });
  const run: EvaluationRun = { timeZone, platform, platformLabel: calls ? `${platformLabel}; check-in calls on at every site (120 s), answered as the simulated residents would (answers.jsonl)` : platformLabel, baselineLabel, ...(replay ? { replay } : {}) };
  if (calls) {
    const c = calls.counts(from, to);
    const residentMonths = (platform.residents * (to - from)) / DAY_MS / 30;
    run.calls = { ...c, perResidentMonth: residentMonths > 0 ? c.placed / residentMonths : 0 };
  }
  if (baselineAlerts) {
    run.baseline = score({ ...window, alerts: baselineAlerts });
    run.goals = goalsOf(platform, run.baseline);
  }
  if (o.out !== undefined) writeFileSync(o.out, JSON.stringify(run, null, 2) + '\n');
  return run;
}

async function replayBoth(
  o: EvaluateOptions,
  file: RegistryFile,
  onProgress?: (s: ReplayStats) => void,
): Promise<{ platform: AlertFileLine[]; baseline?: AlertFileLine[]; stats: ReplayStats; calls?: CallModel }> {
  // The fixed rule is scored as the programmes run it: no check-in calls before its alerts.
  const calls = o.answers !== undefined ? new CallModel(await CallAnswers.read(o.answers)) : undefined;
  const registry = replayRegistry(file, false);
  const staff = { ackAfterMs: o.ackAfterMs, resolveAfterMs: o.resolveAfterMs };
  const platform: AlertFileLine[] = [];
  const baseline: AlertFileLine[] = [];
  const writers: LineWriter[] = [];
  const sink = (into: AlertFileLine[], path: string | undefined) => {
    const w = path !== undefined ? new LineWriter(path) : undefined;
    if (w) writers.push(w);
    return (line: AlertFileLine) => {
      into.push(line);
      w?.write(JSON.stringify(line));
    };
  };
  const passes = [
    new ReplayPass({ name: 'platform', registry: replayRegistry(file, calls !== undefined), overrides: o.overrides, staff, ...(calls ? { calls } : {}), onLine: sink(platform, o.alertsOut) }),
  ];
  if (o.baseline) passes.push(new ReplayPass({ name: 'fixed rule', registry, overrides: baselineOverrides(o.overrides), staff, onLine: sink(baseline, o.baselineAlertsOut) }));
  try {
    const stats = await replayLog(o.input as string, file, passes, onProgress ? { onProgress } : {});
    return { platform, ...(o.baseline ? { baseline } : {}), stats, ...(calls ? { calls } : {}) };
  } finally {
    for (const w of writers) await w.close();
  }
}
