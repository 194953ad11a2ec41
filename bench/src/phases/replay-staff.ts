import type { CoreEvent, RulesCore } from '@hearthbeat/rules-core';

/** protocol.md, "Replay files": the modelled staff acknowledge 10 min and resolve 2 h after an opening. */
export const ACK_AFTER_MS = 10 * 60_000;
export const RESOLVE_AFTER_MS = 2 * 3600_000;

interface Action {
  at: number;
  alertId: string;
  kind: 'ack' | 'resolve';
}

/**
 * The staff of a replay, as protocol.md describes the backtest's. Openings arrive in time order, so each
 * kind of action is a FIFO already sorted by time. A bench stand-in until `npm run backtest` exists:
 * without it a replay would pile up unacknowledged critical alerts and their 2-minute reminders.
 */
export class ReplayStaff {
  private readonly acks: Action[] = [];
  private readonly resolves: Action[] = [];
  private ackHead = 0;
  private resolveHead = 0;
  opened = 0;

  observe(events: readonly CoreEvent[]): void {
    for (const e of events) {
      if (e.type !== 'alert' || (e.change !== 'opened' && e.change !== 'reopened')) continue;
      this.opened++;
      this.acks.push({ at: e.at + ACK_AFTER_MS, alertId: e.alert.id, kind: 'ack' });
      this.resolves.push({ at: e.at + RESOLVE_AFTER_MS, alertId: e.alert.id, kind: 'resolve' });
    }
  }

  /** When the next action is due, or Infinity. */
  peek(): number {
    const a = this.acks[this.ackHead]?.at ?? Infinity;
    const r = this.resolves[this.resolveHead]?.at ?? Infinity;
    return Math.min(a, r);
  }

  /** Runs the next due action; a refused one (already acknowledged or resolved) changes nothing. */
  run(core: RulesCore): readonly CoreEvent[] {
    const a = this.acks[this.ackHead];
    const r = this.resolves[this.resolveHead];
    const next = a && (!r || a.at <= r.at) ? a : r;
    if (!next) return [];
    if (next === a) this.ackHead++;
    else this.resolveHead++;
    try {
      return next.kind === 'ack' ? core.acknowledge(next.alertId, 'bench-staff', next.at) : core.resolve(next.alertId, 'safe', 'replay staff model', 'bench-staff', next.at);
    } catch {
      return [];
    }
  }
}
