import type { BacktestOptions } from '../cli/backtest-options';
import { LineWriter } from '../io/line-writer';
import { loadRegistryFile } from '../io/registry-file';
import { CallAnswers, CallModel, replayRegistry, type CallCounts } from './call-model';
import { ReplayPass } from './replay-pass';
import { replayLog, type ReplayStats } from './replay';

export interface BacktestSummary {
  stats: ReplayStats;
  /** Alerts opened (and re-opened) by rule. */
  opened: Record<string, number>;
  alertLines: number;
  acknowledged: number;
  resolved: number;
  /** With --answers: the calls placed to residents and how they went. */
  calls?: CallCounts;
}

/** `npm run backtest`: one pass with the registry's rules (plus what-if overrides), alert lines to a file. */
export async function runBacktest(o: BacktestOptions, onProgress?: (s: ReplayStats) => void): Promise<BacktestSummary> {
  const file = loadRegistryFile(o.registry);
  const calls = o.answers !== undefined ? new CallModel(await CallAnswers.read(o.answers)) : undefined;
  const out = new LineWriter(o.output);
  const pass = new ReplayPass({
    name: 'backtest',
    registry: replayRegistry(file, calls !== undefined),
    ...(calls ? { calls } : {}),
    overrides: o.overrides,
    staff: { ackAfterMs: o.ackAfterMs, resolveAfterMs: o.resolveAfterMs },
    onLine: (line) => out.write(JSON.stringify(line)),
  });
  try {
    const stats = await replayLog(o.input, file, [pass], onProgress ? { onProgress } : {});
    return {
      stats,
      opened: Object.fromEntries([...pass.opened].sort()),
      alertLines: pass.lines,
      acknowledged: pass.staff.acknowledged,
      resolved: pass.staff.resolved,
      ...(calls ? { calls: calls.counts() } : {}),
    };
  } finally {
    await out.close();
  }
}

/** The stderr summary: lines, rate, alerts by rule, rejections by reason. */
export function formatSummary(s: BacktestSummary): string {
  const st = s.stats;
  const secs = st.wallMs / 1000;
  const rate = secs > 0 ? Math.round(st.lines / secs) : 0;
  const span = st.firstT !== undefined && st.lastT !== undefined ? ` covering ${((st.lastT - st.firstT) / 86_400_000).toFixed(1)} days of virtual time` : '';
  const rejected = Object.values(st.rejected).reduce((a, b) => a + b, 0);
  const lines = [
    `backtest: ${st.lines} lines (${st.accepted} messages to the rules, ${rejected} rejected) in ${secs.toFixed(1)} s, ${rate} lines/s${span}`,
    `alerts opened: ${Object.values(s.opened).reduce((a, b) => a + b, 0)}; ${s.alertLines} state changes written; modelled staff: ${s.acknowledged} acknowledged, ${s.resolved} resolved`,
    ...Object.entries(s.opened).map(([rule, n]) => `  ${rule.padEnd(36)} ${String(n).padStart(7)}`),
  ];
  if (s.calls) lines.push(callsLine(s.calls));
  if (rejected > 0) {
    lines.push('rejected lines by reason:');
    for (const [reason, n] of Object.entries(st.rejected).sort((a, b) => b[1] - a[1])) lines.push(`  ${reason.padEnd(36)} ${String(n).padStart(7)}`);
    for (const e of st.examples.slice(0, 3)) lines.push(`  e.g. line ${e.line}: ${e.reason}: ${e.message}`);
  }
  return lines.join('\n') + '\n';
}

/** "check-in calls: N placed (R before an alert): W answered well, H asked for help, U unanswered". */
export function callsLine(c: CallCounts): string {
  return `check-in calls: ${c.placed} placed (${c.routine} before an alert, ${c.placed - c.routine} on alerts): ${c.answeredWell} answered well, ${c.needsHelp} asked for help, ${c.unanswered} unanswered`;
}
