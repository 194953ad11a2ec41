import type { ExportedSeries } from '@hearthbeat/testing';
import { bucketIndex, type LocalBucket } from '../time/local-buckets';

/**
 * An independent, deliberately plain implementation of the aggregate definitions over points read
 * back from victoria-metrics' `/api/v1/export`, to check what the influx store wrote against the
 * embedded store's answers: per series, sort by time, non-negative differences of the register
 * attributed to the later reading, summed per local bucket.
 */
export function usageFromExport(series: ExportedSeries[], buckets: readonly LocalBucket[]): Array<{ usageL: number; intervals: number }> {
  const out = buckets.map(() => ({ ml: 0, intervals: 0 }));
  for (const s of series) {
    const pts = s.timestamps.map((t, i) => ({ t, v: s.values[i] ?? 0 })).sort((a, b) => a.t - b.t);
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      if (!a || !b || b.v < a.v) continue;
      const target = out[bucketIndex(buckets, b.t)];
      if (!target) continue;
      target.ml += Math.round((b.v - a.v) * 1000);
      target.intervals++;
    }
  }
  return out.map((o) => ({ usageL: o.ml / 1000, intervals: o.intervals }));
}

/** Points per local bucket (trips, door cycles: one point each). */
export function countFromExport(series: ExportedSeries[], buckets: readonly LocalBucket[]): number[] {
  const out = buckets.map(() => 0);
  for (const s of series) {
    for (const t of s.timestamps) {
      const i = bucketIndex(buckets, t);
      if (i >= 0) out[i] = (out[i] ?? 0) + 1;
    }
  }
  return out;
}
