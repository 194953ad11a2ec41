import type { Draw } from './daily-routine.model';

/**
 * Integrates draws into the meter's cumulative register. Reads must come in non-decreasing time, as
 * a meter's do; the ledger then only keeps the draws still running, so memory stays flat over months.
 */
export class WaterLedger {
  private settled = 0;
  private open: Draw[] = [];
  private pending: Draw | undefined;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(private readonly draws: Iterator<Draw, void>) {
    this.pending = this.pull();
  }

  /** Litres drawn before instant `t`. */
  volumeAt(t: number): number {
    if (t < this.lastT) throw new RangeError('WaterLedger reads must not go back in time');
    this.lastT = t;
    while (this.pending && this.pending.start < t) {
      this.open.push(this.pending);
      this.pending = this.pull();
    }
    let partial = 0;
    const still: Draw[] = [];
    for (const d of this.open) {
      if (d.end <= t) this.settled += (d.flowLpm * (d.end - d.start)) / 60_000;
      else {
        partial += (d.flowLpm * (t - d.start)) / 60_000;
        still.push(d);
      }
    }
    this.open = still;
    return this.settled + partial;
  }

  /** Flow (L/min) at instant `t`; call after volumeAt(t). */
  flowAt(t: number): number {
    let flow = 0;
    for (const d of this.open) if (d.start <= t && t < d.end) flow += d.flowLpm;
    return flow;
  }

  private pull(): Draw | undefined {
    const r = this.draws.next();
    return r.done ? undefined : r.value;
  }
}
