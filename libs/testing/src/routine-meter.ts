const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Asia/Shanghai has no daylight saving: local midnight is a fixed 8 h before UTC midnight. */
const SHANGHAI_MS = 8 * 60 * MIN;

/** A plain day of one resident's water use (local clock, litres): up at 07:00, lunch at 12:00, the next use at 14:00. */
export const PLAIN_DAY_USES: readonly (readonly [hhmm: string, liters: number])[] = [
  ['07:00', 6],
  ['07:15', 3],
  ['09:30', 4],
  ['12:00', 8],
  ['14:00', 6],
  ['16:00', 5],
  ['18:00', 10],
  ['21:30', 3],
  ['21:45', 6],
];

/** The Shanghai local midnight `days` days before `now`'s local date. */
export function shanghaiMidnightDaysAgo(days: number, now = Date.now()): number {
  return Math.floor((now + SHANGHAI_MS) / DAY) * DAY - SHANGHAI_MS - days * DAY;
}

/**
 * A water meter's register replaying the same day of uses, day after day, from the Shanghai local midnight
 * `t0` (day 0): 15-minute readings of the cumulative total, as the e2e tests of the learned routine
 * upload them. The register carries on across calls (as a real meter's does).
 */
export class RoutineMeter {
  total = 1000;

  constructor(
    readonly t0: number,
    readonly uses: readonly (readonly [string, number])[] = PLAIN_DAY_USES,
  ) {}

  /** The instant of local clock `hhmm` on day `day`. */
  readonly at = (day: number, hhmm: string): number => this.t0 + day * DAY + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;

  /** The readings from `from` up to (excluding) `to`, every 15 min, with the day's uses before `until` only. */
  readonly readings = (from: number, to: number, until = Number.POSITIVE_INFINITY): { ts: number; totalL: number }[] => {
    const out: { ts: number; totalL: number }[] = [];
    for (let ts = from; ts < to; ts += 15 * MIN) {
      const day = Math.floor((ts - this.t0) / DAY);
      for (const [hhmm, l] of this.uses) if (this.at(day, hhmm) === ts && ts < until) this.total += l;
      out.push({ ts, totalL: this.total });
    }
    return out;
  };
}
