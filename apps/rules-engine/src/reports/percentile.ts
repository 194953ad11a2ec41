/**
 * Percentiles by linear interpolation between closest ranks (Hyndman & Fan type 7: numpy's default,
 * Excel's PERCENTILE.INC): for n sorted values x[0..n-1] and p in [0, 1], h = (n - 1) p and the result
 * is x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). The median (p = 0.5) is the usual one:
 * the middle value, or the mean of the two middle values.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (h - lo) * (b - a);
}

export interface Stat {
  count: number;
  medianS: number | null;
  p90S: number | null;
}

/** Count, median and p90 of durations in ms, reported in seconds (to the millisecond). */
export function stat(durationsMs: readonly number[]): Stat {
  const sorted = [...durationsMs].sort((x, y) => x - y);
  const s = (v: number | null) => (v === null ? null : Math.round(v) / 1000);
  return { count: sorted.length, medianS: s(percentile(sorted, 0.5)), p90S: s(percentile(sorted, 0.9)) };
}
