import { silenceReason, splitInterval, type ElevatorSample } from '../points/elevator-activity.tracker';
import { DOWNTIME_REASONS, type DowntimeReason } from '../points/telemetry-point';
import type { ElevatorActivityBucket, TimeRange, WaterUsageBucket } from '../telemetry-store';
import { bucketIndex, type LocalBucket } from '../time/local-buckets';

/**
 * Both stores answer aggregate queries the same way: they produce per-slot sums (a slot is a UTC
 * hour, or quarter hour for zones that need it) and this module folds the slots into the caller's
 * local hours or days. One fold, so the two stores cannot disagree on time-zone arithmetic.
 */
export type SlotSums = Map<number, number[]>;

/** Water slot vector: [usage in ml, usage intervals]. */
export const WATER_METRICS = ['usage_ml', 'intervals'] as const;
/**
 * Elevator slot vector: [trips, door cycles, faults, downtime ms per reason in DOWNTIME_REASONS order,
 * samples]. `samples` counts the state samples and events the terminal reported: 0 means no data.
 * Appended last: the embedded rollup rows hold the metrics in this order (schema 2; see
 * sqlite-telemetry.schema.ts for the rows of schema 1, which had no samples).
 */
export const ELEVATOR_METRICS = ['trips', 'door_cycles', 'faults', ...DOWNTIME_REASONS.map((r) => `down_${r}`), 'samples'] as const;
export const ELEVATOR_DOWN_OFFSET = 3;
export const ELEVATOR_SAMPLES = ELEVATOR_DOWN_OFFSET + DOWNTIME_REASONS.length;

export function addToSlot(sums: SlotSums, slot: number, width: number, index: number, value: number): void {
  let v = sums.get(slot);
  if (!v) {
    v = new Array<number>(width).fill(0);
    sums.set(slot, v);
  }
  v[index] = (v[index] ?? 0) + value;
}

/** The per-bucket totals of the slots that start inside each bucket. */
export function foldSlots(buckets: readonly LocalBucket[], sums: SlotSums, width: number): number[][] {
  const out = buckets.map(() => new Array<number>(width).fill(0));
  for (const [slot, v] of sums) {
    const i = bucketIndex(buckets, slot);
    const target = out[i];
    if (!target) continue;
    for (let k = 0; k < width; k++) target[k] = (target[k] ?? 0) + (v[k] ?? 0);
  }
  return out;
}

/**
 * Usage of the interval from reading `a` to reading `b` (b later), in ml, or null when the register
 * went down (meter replaced or reset: never usage, protocol.md). Rounded per interval to the ml so that
 * sums stay exact integers; registers have 1 L or 0.1 L resolution, so nothing is lost.
 */
export function intervalUsageMl(a: { totalL: number }, b: { totalL: number }): number | null {
  return b.totalL >= a.totalL ? Math.round((b.totalL - a.totalL) * 1000) : null;
}

export function waterBuckets(buckets: readonly LocalBucket[], sums: SlotSums): WaterUsageBucket[] {
  const folded = foldSlots(buckets, sums, WATER_METRICS.length);
  return buckets.map((b, i) => {
    const v = folded[i] ?? [];
    return { start: b.start, end: b.end, label: b.label, usageL: (v[0] ?? 0) / 1000, intervals: v[1] ?? 0 };
  });
}

export function elevatorBuckets(buckets: readonly LocalBucket[], sums: SlotSums): ElevatorActivityBucket[] {
  const folded = foldSlots(buckets, sums, ELEVATOR_METRICS.length);
  return buckets.map((b, i) => {
    const v = folded[i] ?? [];
    const downtime = Object.fromEntries(DOWNTIME_REASONS.map((r, k) => [r, v[ELEVATOR_DOWN_OFFSET + k] ?? 0])) as Record<DowntimeReason, number>;
    return {
      start: b.start,
      end: b.end,
      label: b.label,
      trips: v[0] ?? 0,
      doorCycles: v[1] ?? 0,
      faults: v[2] ?? 0,
      downtimeMs: DOWNTIME_REASONS.reduce((s, r) => s + downtime[r], 0),
      downtime,
      samples: v[ELEVATOR_SAMPLES] ?? 0,
    };
  });
}

export function downtimeIndex(reason: DowntimeReason): number {
  return ELEVATOR_DOWN_OFFSET + DOWNTIME_REASONS.indexOf(reason);
}

/**
 * Downtime after the newest sample, which no stored piece covers yet (pieces are written when the next
 * sample arrives): from that sample to the end of the range or `now`, whichever is first, if the car
 * was down when last heard or has now been silent longer than `offlineAfterMs`. Added to `sums`.
 */
export function addTailDowntime(
  sums: SlotSums,
  last: Pick<ElevatorSample, 'ts' | 'mode' | 'power'> | undefined,
  range: TimeRange,
  now: number,
  offlineAfterMs: number,
  slotMs: number,
): void {
  if (!last) return;
  const end = Math.min(range.to, now);
  const reason = silenceReason(last, now - last.ts, offlineAfterMs);
  const start = Math.max(last.ts, range.from);
  if (!reason || start >= end) return;
  for (const [a, b] of splitInterval(start, end, slotMs)) addToSlot(sums, Math.floor(a / slotMs) * slotMs, ELEVATOR_METRICS.length, downtimeIndex(reason), b - a);
}
