import { TelemetryQueryError } from '../telemetry.errors';
import { DAY_MS, HOUR_MS, MINUTE_MS, type ZoneClock } from './zone-clock';

/** A local quarter hour (15 min: the rhythm of a day, for 24-hour charts), hour or day. */
export type BucketUnit = 'quarter' | 'hour' | 'day';
export const BUCKET_UNITS: readonly BucketUnit[] = ['quarter', 'hour', 'day'];

export interface LocalBucket {
  /** First instant of the local quarter hour, hour or day, epoch ms. */
  start: number;
  /** First instant of the next one (23 or 25 h after `start` for a DST day). */
  end: number;
  /** `YYYY-MM-DD` for a day; `YYYY-MM-DDTHH:mm+hh:mm` for an hour or quarter hour. */
  label: string;
}

/** About three years of hours: more than any chart needs, few enough to answer at once. */
export const MAX_BUCKETS = 27_000;

/** Stored aggregates are kept per "slot": a UTC hour, or a quarter hour where a zone needs it. */
export const SLOT_HOUR_MS = HOUR_MS;
export const SLOT_QUARTER_MS = 15 * MINUTE_MS;

export function checkRange(from: number, to: number): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to <= from) {
    throw new TelemetryQueryError(`invalid range [${from}, ${to}): expected integer epoch ms with from < to`);
  }
}

/**
 * The local hours or days that overlap [from, to), each whole: `from` is moved back to the start of
 * its bucket and the last bucket ends at or after `to`.
 */
export function localBuckets(zone: ZoneClock, unit: BucketUnit, from: number, to: number): LocalBucket[] {
  checkRange(from, to);
  const out: LocalBucket[] = [];
  // Every IANA offset today is a multiple of 15 minutes, so local quarter hours are UTC quarter hours.
  let start = unit === 'day' ? zone.dayStart(from) : unit === 'hour' ? zone.hourStart(from) : Math.floor(from / SLOT_QUARTER_MS) * SLOT_QUARTER_MS;
  while (start < to) {
    let end = unit === 'day' ? zone.dayStart(start + 30 * HOUR_MS) : unit === 'hour' ? zone.hourStart(start + HOUR_MS) : start + SLOT_QUARTER_MS;
    if (end <= start) end = start + (unit === 'day' ? DAY_MS : HOUR_MS);
    out.push({ start, end, label: unit === 'day' ? zone.dayLabel(start) : zone.localLabel(start) });
    if (out.length > MAX_BUCKETS) throw new TelemetryQueryError(`range [${from}, ${to}) holds more than ${MAX_BUCKETS} ${unit}s`);
    start = end;
  }
  return out;
}

/**
 * The coarsest slot that never straddles a bucket boundary: a UTC hour for every zone whose offsets
 * are whole hours (Asia/Shanghai, Europe/*, America/New_York), a quarter hour for India or Nepal.
 */
export function slotMsFor(zone: ZoneClock, buckets: readonly LocalBucket[]): number {
  let slot = SLOT_HOUR_MS;
  for (const b of buckets) {
    for (const t of [b.start, b.end]) {
      if (t % SLOT_HOUR_MS === 0) continue;
      if (t % SLOT_QUARTER_MS === 0) slot = SLOT_QUARTER_MS;
      else throw new TelemetryQueryError(`time zone ${zone.timeZone} has a boundary at ${t} that is not on a quarter hour`);
    }
  }
  return slot;
}

/** Index of the bucket holding `ts`, or -1 (binary search: buckets are sorted and contiguous). */
export function bucketIndex(buckets: readonly LocalBucket[], ts: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid] as LocalBucket;
    if (ts < b.start) hi = mid - 1;
    else if (ts >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
