import { RISK_RANK, SEVERITY_RANK, type Severity } from '@hearthbeat/contracts';
import type { Kernel } from '../core/kernel';
import type { SubjectRuntime } from '../core/runtime';
import { colourAt, colourIndex, stepColour } from './risk-colour';

/**
 * Keeps each resident's and elevator's colour current. Recomputed whenever one of its alerts opens,
 * escalates, changes severity or resolves, and by a deadline when a step down or the expiry of the
 * history window is due, so colours move without any message.
 */
export class RiskTracker {
  constructor(private readonly k: Kernel) {}

  noteOpened(s: SubjectRuntime, at: number, severity: Severity): void {
    s.state.history.push(at, SEVERITY_RANK[severity]);
    this.k.touch(s);
  }

  recompute(s: SubjectRuntime, at: number): void {
    const st = s.state;
    const h = st.history;
    const horizon = at - this.k.options.riskHistoryMs;
    let drop = 0;
    while (drop < h.length && (h[drop] as number) <= horizon) drop += 2;
    if (drop > 0) {
      h.splice(0, drop);
      this.k.touch(s);
    }
    let maxRank = -1;
    for (let i = 1; i < h.length; i += 2) if ((h[i] as number) > maxRank) maxRank = h[i] as number;
    const raw = colourIndex(
      (function* () {
        for (const ar of s.openAlerts) yield ar.alert;
      })(),
      h.length / 2,
      maxRank,
    );
    const current = RISK_RANK[st.risk.colour];
    const next = stepColour(current, raw, st.risk.holdFrom, at, this.k.options.riskStepDownMs);
    if (next.holdFrom !== st.risk.holdFrom) {
      if (next.holdFrom === undefined) delete st.risk.holdFrom;
      else st.risk.holdFrom = next.holdFrom;
      this.k.touch(s);
    }
    if (next.index !== current) {
      const previous = st.risk.colour;
      st.risk.colour = colourAt(next.index);
      st.risk.changedAt = at;
      this.k.touch(s);
      this.k.emit({ type: 'risk', at, subject: s.ref, site: s.site.id, colour: st.risk.colour, previous, reason: this.reason(s, next.index, raw) });
    }
    this.schedule(s, next.index, raw);
  }

  private schedule(s: SubjectRuntime, index: number, raw: number): void {
    const st = s.state;
    let due = Number.POSITIVE_INFINITY;
    if (index > raw && st.risk.holdFrom !== undefined) due = st.risk.holdFrom + this.k.options.riskStepDownMs;
    if (st.history.length > 0) due = Math.min(due, (st.history[0] as number) + this.k.options.riskHistoryMs + 1);
    if (Number.isFinite(due)) this.k.setTimer(s, 'risk', due);
    else this.k.clearTimer(s, 'risk');
  }

  private reason(s: SubjectRuntime, index: number, raw: number): string {
    if (index > raw) return 'stepping down: one colour per hold period after the alerts cleared';
    let top: { rule: string; severity: Severity; escalationLevel: number } | undefined;
    for (const ar of s.openAlerts) {
      const a = ar.alert;
      if (!top || SEVERITY_RANK[a.severity] > SEVERITY_RANK[top.severity] || (a.severity === top.severity && a.escalationLevel > top.escalationLevel)) top = a;
    }
    if (top) return `open ${top.severity} alert ${top.rule}${top.escalationLevel > 0 ? ` (escalated to level ${top.escalationLevel})` : ''}`;
    const n = s.state.history.length / 2;
    return n > 0 ? `${n} alert(s) in the last ${Math.round(this.k.options.riskHistoryMs / 86_400_000)} days` : 'no open or recent alerts';
  }
}
