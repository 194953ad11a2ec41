import type { Outcome } from '@hearthbeat/contracts';
import type { AlertEvent, CoreEvent, RulesCore } from '@hearthbeat/rules-core';

export interface StaffOptions {
  /** After each opening (or re-opening): acknowledge this much later; null never. protocol.md: 10 min. */
  ackAfterMs: number | null;
  /** Resolve this much later with `outcome`; null never. protocol.md: 2 h, outcome safe. */
  resolveAfterMs: number | null;
  outcome?: Outcome;
  by?: string;
}

interface Action {
  at: number;
  alertId: string;
  /** The opening the action answers (openedAt, or reopenedAt): a later re-opening is a new case. */
  since: number;
}

/** The core's staff actions the model uses (the live engine's driver offers the same through act()). */
export type StaffActions = Pick<RulesCore, 'getAlert' | 'acknowledge' | 'resolve'>;

/**
 * The staff a backtest models (protocol.md): nobody answers alerts in a replay, so every alert is
 * acknowledged 10 minutes and resolved with outcome `safe` 2 hours after it opens, and a later
 * incident of the same subject opens a new alert. Actions run in time order between the core's
 * deadlines (the driver interleaves both). An alert that resolved itself meanwhile, or was re-opened
 * (a new case with its own actions), is left alone. Events arrive in time order, so each kind of action
 * is a FIFO already sorted by time.
 */
export class StaffModel {
  readonly by: string;
  readonly outcome: Outcome;
  private readonly acks: Action[] = [];
  private readonly resolves: Action[] = [];
  private ackHead = 0;
  private resolveHead = 0;
  acknowledged = 0;
  resolved = 0;

  constructor(private readonly opts: StaffOptions) {
    this.by = opts.by ?? 'backtest-staff';
    this.outcome = opts.outcome ?? 'safe';
  }

  /** Schedules the answers to an opening or re-opening. */
  observe(ev: CoreEvent): void {
    if (ev.type !== 'alert' || (ev.change !== 'opened' && ev.change !== 'reopened')) return;
    const since = ev.at;
    const alertId = ev.alert.id;
    if (this.opts.ackAfterMs !== null) this.acks.push({ at: since + this.opts.ackAfterMs, alertId, since });
    if (this.opts.resolveAfterMs !== null) this.resolves.push({ at: since + this.opts.resolveAfterMs, alertId, since });
  }

  /** When the next action is due, or undefined. */
  peekTime(): number | undefined {
    const a = this.acks[this.ackHead];
    const r = this.resolves[this.resolveHead];
    if (!a) return r?.at;
    if (!r) return a.at;
    return Math.min(a.at, r.at);
  }

  /** Runs the next action against the core (at its own time) and returns what it caused. */
  runNext(core: StaffActions): readonly CoreEvent[] {
    const a = this.acks[this.ackHead];
    const r = this.resolves[this.resolveHead];
    // Acknowledging first on a tie: "acknowledged after 0 and resolved after 0" is still both steps.
    const useAck = a !== undefined && (r === undefined || a.at <= r.at);
    const action = useAck ? a : r;
    if (!action) return [];
    if (useAck) this.ackHead++;
    else this.resolveHead++;
    this.compact();
    const alert = core.getAlert(action.alertId);
    if (!alert || alert.state === 'resolved' || (alert.reopenedAt ?? alert.openedAt) !== action.since) return [];
    if (useAck) {
      if (alert.state !== 'open') return [];
      this.acknowledged++;
      return core.acknowledge(action.alertId, this.by, action.at);
    }
    this.resolved++;
    return core.resolve(action.alertId, this.outcome, 'modelled staff (backtest)', this.by, action.at);
  }

  private compact(): void {
    // Drop consumed actions now and then so that a month of alerts does not pile up in memory.
    if (this.ackHead > 4096) {
      this.acks.splice(0, this.ackHead);
      this.ackHead = 0;
    }
    if (this.resolveHead > 4096) {
      this.resolves.splice(0, this.resolveHead);
      this.resolveHead = 0;
    }
  }
}

export function isAlertEvent(ev: CoreEvent): ev is AlertEvent {
  return ev.type === 'alert';
}
