import type { ElevatorActivityBucket } from '@hearthbeat/telemetry';

/**
 * Share of the observed part of the range the car was not down. Observed: from its first report within
 * the buckets (before it nothing is known: not counted) to the end of the buckets or now. `firstSample`
 * is the first raw state sample, which the store keeps for a while (35 days embedded); where it no longer
 * has it, the observed part starts with the first bucket with data. Within the observed part a bucket
 * without data (`samples: 0`) counts as down in full: the terminal was silent throughout, which is
 * offline downtime by definition (docs/telemetry.md), even where the store could not count it so (a
 * platform restart forgets the sample before a silence). Null when nothing was observed.
 */
export function availability(buckets: readonly ElevatorActivityBucket[], firstSample: number | undefined, now: number): number | null {
  const last = buckets[buckets.length - 1];
  const firstWithData = buckets.find((b) => b.samples > 0);
  if (!last || !firstWithData) return null;
  const from = firstSample !== undefined && firstSample >= firstWithData.start && firstSample < firstWithData.end ? firstSample : firstWithData.start;
  const to = Math.min(last.end, now);
  if (to <= from) return null;
  let down = 0;
  for (const b of buckets) {
    const observed = Math.min(b.end, to) - Math.max(b.start, from);
    if (observed > 0) down += b.samples === 0 ? observed : Math.min(b.downtimeMs, observed);
  }
  return Math.max(0, Math.min(1, 1 - down / (to - from)));
}
