import { siteTimeFor } from '@hearthbeat/rules-core';
import type { ReplayStats } from '../replay/replay';
import { callSummary, goalLines } from './report-text';
import { detectionRows, falseRows, hours, type EvaluationResult } from './report-text';
import type { Score } from './score';

export interface MarkdownMeta {
  /** The command that regenerates the page. */
  command: string;
  /** How the data was made (simulator arguments). */
  simulation: string;
  generatedAt: string;
  replay?: ReplayStats;
  simSeconds?: number;
}

const row = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
const mdTable = (header: string[], rows: string[][]) => [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');

/** The generated part of docs/evaluation.md: tables, goals, missed incidents, the run's numbers. */
export function markdownReport(r: EvaluationResult, meta: MarkdownMeta): string {
  const t = siteTimeFor(r.timeZone);
  const p = r.platform;
  const out: string[] = [];
  out.push(`Generated ${meta.generatedAt} by \`${meta.command}\` (do not edit by hand: re-run it).`, '');
  out.push(`- Data: ${meta.simulation}.`);
  out.push(
    `- Scored window: ${t.date(p.from)} to ${t.date(p.to - 1)} (${r.timeZone}), ${p.residents} residents, ` +
      `${p.cleanResidentDays} incident-free resident-days (${(p.cleanResidentDays / 30).toFixed(0)} resident-months); grace ${hours(p.graceMs)}.`,
  );
  out.push(`- Platform: ${r.platformLabel}.`);
  if (r.baseline) out.push(`- Fixed rule: ${r.baselineLabel}.`);
  if (meta.replay) {
    const s = meta.replay;
    const rejected = Object.entries(s.rejected).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    out.push(
      `- Replay: ${s.lines.toLocaleString('en-US')} lines, both configurations in one pass, ${(s.wallMs / 1000).toFixed(0)} s ` +
        `(${Math.round(s.lines / (s.wallMs / 1000)).toLocaleString('en-US')} lines/s); rejected lines: ${rejected}.` +
        (meta.simSeconds !== undefined ? ` Simulation: ${meta.simSeconds.toFixed(0)} s.` : ''),
    );
  }
  out.push(`- Openings: ${p.openings} (platform)${r.baseline ? `, ${r.baseline.openings} (fixed rule)` : ''}.`);
  if (r.calls) out.push(`- ${callSummary(r.calls)}.`);
  out.push('');
  if (r.goals) {
    out.push('### Goals', '');
    for (const l of goalLines(r.goals)) out.push(`- ${l}`);
    out.push('');
  }
  out.push('### Detection and time-to-alert by incident kind', '');
  out.push(mdTable(['kind', 'n', 'platform', 'median', 'p95', 'fixed rule', 'median', 'p95', 'detected by'], detectionRows(r)));
  out.push('', '### False alerts per resident-month on incident-free days (count)', '');
  out.push(mdTable(['rule', 'subject', 'platform', 'fixed rule', 'unexplained on incident days (platform, not scored)'], falseRows(r)));
  const away = (s: Score | undefined) => (s ? Object.entries(s.duringAnnouncedAway).map(([k, v]) => `${k} ${v}`).join(', ') || 'none' : '-');
  out.push('', `Alerts opened during announced absences: platform ${away(p)}; fixed rule ${away(r.baseline)}.`, '');
  out.push('### Missed incidents (platform)', '');
  const missed = p.kinds.flatMap((k) => k.missed);
  if (missed.length === 0) out.push('None.');
  for (const m of missed) out.push(`- ${m.kind} ${m.subject}${m.deviceId ? ` (${m.deviceId})` : ''}: ${t.date(m.start)} ${t.hm(m.start)}, lasting ${hours(m.end - m.start)}`);
  if (r.baseline) {
    const bm = r.baseline.kinds.filter((k) => k.kind === 'fall' || k.kind === 'fall_in_shower').flatMap((k) => k.missed);
    out.push('', `Falls the fixed rule missed: ${bm.length} (${bm.map((m) => `${m.subject} ${hours(m.end - m.start)}`).join(', ') || 'none'}).`);
  }
  return out.join('\n') + '\n';
}
