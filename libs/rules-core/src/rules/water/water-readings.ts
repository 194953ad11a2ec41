import type { WaterState } from '../../state/device-state';

/**
 * The retained interval readings of one meter, sorted by reading time (protocol.md: "Usage is the
 * difference between consecutive readings by ts"). Late and out-of-order readings are inserted in
 * place: the usage of the interval they split is taken back and re-attributed to the two halves, so
 * every liter is counted once, in reading time. A register that goes down (meter replaced or reset)
 * is reported and never counted as usage.
 */
export interface UsageSink {
  /** Usage (or, negative, usage taken back) attributed to the interval ending at `ts`. */
  usage(ts: number, liters: number): void;
  registerDown(ts: number, fromL: number, toL: number): void;
}

/** Liters used between two register values (litre resolution, rounded to mL against float noise). */
export function pairUsage(fromL: number, toL: number): number {
  return toL > fromL ? Math.round((toL - fromL) * 1000) / 1000 : 0;
}

/** Inserts one reading; false when it is a duplicate or older than everything retained. */
export function insertReading(w: WaterState, ts: number, total: number, flow: number, sink: UsageSink): boolean {
  const n = w.ts.length;
  if (n === 0 || ts > (w.ts[n - 1] as number)) {
    w.ts.push(ts);
    w.total.push(total);
    w.flow.push(flow);
    if (n > 0) account(w.total[n - 1] as number, total, ts, sink);
    return true;
  }
  // Binary search for the first retained reading at or after ts.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((w.ts[mid] as number) < ts) lo = mid + 1;
    else hi = mid;
  }
  if (w.ts[lo] === ts || lo === 0) return false;
  const prevL = w.total[lo - 1] as number;
  const nextL = w.total[lo] as number;
  const nextTs = w.ts[lo] as number;
  sink.usage(nextTs, -pairUsage(prevL, nextL));
  w.ts.splice(lo, 0, ts);
  w.total.splice(lo, 0, total);
  w.flow.splice(lo, 0, flow);
  account(prevL, total, ts, sink);
  account(total, nextL, nextTs, sink);
  return true;
}

function account(fromL: number, toL: number, ts: number, sink: UsageSink): void {
  if (toL < fromL) sink.registerDown(ts, fromL, toL);
  else sink.usage(ts, pairUsage(fromL, toL));
}

/**
 * Drops readings before `fromTs`, keeping the one just before as the baseline of the first interval.
 * Only once `slack` of them are stale: one splice per batch instead of one per reading (the rules read
 * the retained readings from the newest backwards, so a few older ones change nothing).
 */
export function pruneReadings(w: WaterState, fromTs: number, slack = 1): void {
  let i = 0;
  const n = w.ts.length;
  while (i < n && (w.ts[i] as number) < fromTs) i++;
  const cut = i - 1;
  if (cut >= slack) {
    w.ts.splice(0, cut);
    w.total.splice(0, cut);
    w.flow.splice(0, cut);
  }
}

/** Usage of the interval ending at index i (i >= 1). */
export function usageAt(w: WaterState, i: number): number {
  return pairUsage(w.total[i - 1] as number, w.total[i] as number);
}

/** Liters used in intervals ending in (from, to]. */
export function usageBetween(w: WaterState, from: number, to: number): number {
  let sum = 0;
  for (let i = w.ts.length - 1; i >= 1; i--) {
    const t = w.ts[i] as number;
    if (t <= from) break;
    if (t <= to) sum += usageAt(w, i);
  }
  return Math.round(sum * 1000) / 1000;
}
