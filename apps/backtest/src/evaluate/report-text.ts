import { siteTimeFor } from '@hearthbeat/rules-core';
import { kindOf, type Goals } from './goals';
import type { Score } from './score';
import type { CallCounts } from '../replay/call-model';

export interface EvaluationResult {
  timeZone: string;
  platform: Score;
  baseline?: Score;
  goals?: Goals;
  /** With answers: the check-in calls the platform placed in the scored window (the fixed rule places none). */
  calls?: CallCounts & { perResidentMonth: number };
  /** Labels of the two configurations. */
  platformLabel: string;
  baselineLabel: string;
}

export const hours = (ms: number | null): string => (ms === null ? '-' : `${(ms / 3_600_000).toFixed(1)} h`);
export const pct = (x: number | null): string => (x === null ? '-' : `${Math.round(x * 100)}%`);
export const rate = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(3));

/** One row per incident kind: platform and fixed rule side by side. */
export function detectionRows(r: EvaluationResult): string[][] {
  const rows: string[][] = [];
  for (const k of r.platform.kinds) {
    const b = r.baseline ? kindOf(r.baseline, k.kind) : undefined;
    const det = (x: typeof k | undefined) => (x ? (x.rate === null ? `quiet: ${x.alertsDuring} alerts during` : `${x.detected}/${x.incidents} ${pct(x.rate)}`) : '-');
    rows.push([k.kind, String(k.incidents), det(k), hours(k.ttaMedianMs), hours(k.ttaP95Ms), det(b), hours(b?.ttaMedianMs ?? null), hours(b?.ttaP95Ms ?? null), k.rules.join(' | ') || '(none: must stay quiet)']);
  }
  return rows;
}

/** One row per rule with false alerts in either pass: per resident-month (elevator-month) of incident-free days. */
export function falseRows(r: EvaluationResult): string[][] {
  const keys = new Map<string, { rule: string; type: string }>();
  for (const s of [r.platform, r.baseline]) for (const f of s?.falseByRule ?? []) keys.set(`${f.subjectType}|${f.rule}`, { rule: f.rule, type: f.subjectType });
  const find = (s: Score | undefined, key: string) => s?.falseByRule.find((f) => `${f.subjectType}|${f.rule}` === key);
  return [...keys.entries()]
    .sort((a, b) => (find(r.platform, b[0])?.perSubjectMonth ?? 0) - (find(r.platform, a[0])?.perSubjectMonth ?? 0) || a[0].localeCompare(b[0]))
    .map(([key, { rule, type }]) => {
      const p = find(r.platform, key);
      const b = find(r.baseline, key);
      return [rule, type, p ? `${rate(p.perSubjectMonth)} (${p.falseAlerts})` : '0', r.baseline ? (b ? `${rate(b.perSubjectMonth)} (${b.falseAlerts})` : '0') : '-', String(p?.unexplainedOnIncidentDays ?? 0)];
    });
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function goalLines(g: Goals): string[] {
  const mark = (m: boolean) => (m ? 'MET' : 'NOT MET');
  return [
    `every fall detected (fall + fall_in_shower): ${g.everyFall.detected}/${g.everyFall.incidents} ${mark(g.everyFall.met)}`,
    `median time-to-alert for falls: ${hours(g.fallMedian.platformMs)} vs fixed rule ${hours(g.fallMedian.baselineMs)}, ratio ${g.fallMedian.ratio?.toFixed(2) ?? '-'} (goal <= 0.50) ${mark(g.fallMedian.met)}`,
    `false no-activity alerts per resident-month: ${g.falseNoActivity.platform.toFixed(3)} vs fixed rule ${g.falseNoActivity.baseline.toFixed(3)}, ratio ${g.falseNoActivity.ratio?.toFixed(2) ?? '-'} (goal <= 0.20) ${mark(g.falseNoActivity.met)}`,
  ];
}

/** The evaluation as text for the terminal. */
export function formatReport(r: EvaluationResult): string {
  const t = siteTimeFor(r.timeZone);
  const p = r.platform;
  const out: string[] = [];
  out.push(
    `Evaluation ${t.date(p.from)} to ${t.date(p.to - 1)} (${r.timeZone}): ${p.residents} residents, ${p.elevators} elevators; ` +
      `${p.cleanResidentDays} incident-free resident-days; grace ${hours(p.graceMs)}; ${p.openings} alert openings (platform)` +
      (r.baseline ? `, ${r.baseline.openings} (fixed rule)` : ''),
  );
  out.push(`platform: ${r.platformLabel}`);
  if (r.baseline) out.push(`fixed rule: ${r.baselineLabel}`);
  out.push('', 'Detection and time-to-alert by incident kind');
  out.push(table(['kind', 'n', 'platform', 'median', 'p95', 'fixed rule', 'median', 'p95', 'detected by'], detectionRows(r)));
  out.push('', 'False alerts per subject-month on incident-free days (count); last column: unexplained alerts on incident days (not scored)');
  out.push(table(['rule', 'subject', 'platform', 'fixed rule', 'on incident days'], falseRows(r)));
  const away = (s: Score | undefined) => (s ? Object.entries(s.duringAnnouncedAway).map(([k, v]) => `${k} ${v}`).join(', ') || 'none' : '-');
  out.push('', `Alerts opened during announced absences: platform ${away(p)}; fixed rule ${away(r.baseline)}`);
  const missed = p.kinds.flatMap((k) => k.missed);
  out.push('', `Missed incidents (platform): ${missed.length}`);
  for (const m of missed) out.push(`  ${m.kind} ${m.subject}${m.deviceId ? ` (${m.deviceId})` : ''} ${t.date(m.start)} ${t.hm(m.start)}, ${hours(m.end - m.start)}`);
  if (r.calls) out.push('', callSummary(r.calls));
  if (r.goals) out.push('', 'Goals', ...goalLines(r.goals).map((l) => `  ${l}`));
  return out.join('\n') + '\n';
}

/** The platform's check-in calls in the scored window, per resident-month. */
export function callSummary(c: CallCounts & { perResidentMonth: number }): string {
  return (
    `Check-in calls (platform): ${c.placed} placed, ${c.perResidentMonth.toFixed(2)} per resident-month (${c.routine} before an alert, ${c.placed - c.routine} on alerts); ` +
    `${c.answeredWell} answered well, ${c.needsHelp} asked for help, ${c.unanswered} unanswered`
  );
}
