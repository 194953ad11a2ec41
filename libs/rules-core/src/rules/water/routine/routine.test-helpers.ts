import type { CoreRegistry } from '../../../registry/core-registry.types';
import { fleet, H, Harness, MIN, T0, water, type FleetOptions } from '../../../test-support/harness.test-helpers';

/** A use at a local clock time (Shanghai; T0 is a Friday midnight), liters drawn in the 15 min before it. */
export type Use = [hhmm: string, liters: number];

/** A plain day: up at 07:00, meals, an afternoon lull of 2 h, to bed at 21:45. Quiet spells <= 2 h. */
export const DAY: readonly Use[] = [
  ['07:00', 6],
  ['07:15', 3],
  ['07:45', 4],
  ['09:00', 6],
  ['10:30', 2],
  ['11:30', 5],
  ['12:00', 8],
  ['14:00', 6],
  ['16:00', 6],
  ['17:30', 6],
  ['18:00', 10],
  ['20:00', 6],
  ['21:30', 3],
  ['21:45', 6],
];

/** The same day with everything from `from` on removed (a fall, a silent morning). */
export const until = (uses: readonly Use[], hhmm: string): Use[] => uses.filter(([t]) => t < hhmm);
/** The day shifted by `min` minutes (a later rising, say), kept on the 15-min grid. */
export const shifted = (uses: readonly Use[], min: number, fromHhmm = '00:00', toHhmm = '24:00'): Use[] =>
  uses.map(([t, l]) => (t >= fromHhmm && t < toHhmm ? [clock(minutes(t) + min), l] : [t, l]));

export const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const clock = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
export const at = (day: number, hhmm: string): number => T0 + day * 24 * H + minutes(hhmm) * MIN;

/**
 * Short warm-up so that tests run a week, not a month, and round margins (the defaults are tuned on the
 * simulated population, docs/evaluation.md): rising + 60 min, quiet spell + 45 min (spells starting within
 * an hour of the same time of day), bedtime + 30 min.
 */
export const QUICK: FleetOptions = {
  residentRules: {
    'water.routine_deviation': { warmupDays: 5, minDaysPerType: 3, lateMarginMinutes: 60, quietMarginMinutes: 45, clockQuietMarginMinutes: 45, clockQuietWindowMinutes: 60, bedMarginMinutes: 30 },
    // The fall-back and the safety net stay out of these tests' way.
    'water.no_activity': { enabled: false },
  },
};

export function registry(o: FleetOptions = QUICK): CoreRegistry {
  return fleet(o);
}

/**
 * A resident's meter replayed like the backtest: a reading every 15 min (received 2 s later), the
 * register going up by each use's liters at its clock time.
 */
export class Household {
  total = 1000;
  constructor(readonly h: Harness) {}

  /** Readings of local day `day` from `fromHhmm` to `toHhmm` (exclusive), with these uses. */
  day(day: number, uses: readonly Use[], fromHhmm = '00:00', toHhmm = '24:00'): void {
    const byTime = new Map<number, number>();
    for (const [t, l] of uses) byTime.set(minutes(t), (byTime.get(minutes(t)) ?? 0) + l);
    for (let m = minutes(fromHhmm); m < minutes(toHhmm); m += 15) {
      this.total += byTime.get(m) ?? 0;
      const ts = T0 + day * 24 * H + m * MIN;
      this.h.send(water(ts, this.total), ts + 2000);
    }
  }

  /** `n` plain days from day `from`. */
  days(from: number, n: number, uses: readonly Use[] = DAY): void {
    for (let d = from; d < from + n; d++) this.day(d, uses);
  }
}
