import { TelemetryQueryError } from '../telemetry.errors';
import { bucketIndex, localBuckets, slotMsFor } from './local-buckets';
import { HOUR_MS, ZoneClock } from './zone-clock';

const utc = (s: string) => Date.parse(s);

describe('ZoneClock and localBuckets', () => {
  it('puts Shanghai days at 16:00 UTC (UTC+8, no DST)', () => {
    const sh = new ZoneClock('Asia/Shanghai');
    const days = localBuckets(sh, 'day', utc('2025-03-01T00:00:00Z'), utc('2025-03-03T00:00:00Z'));
    expect(days.map((d) => [d.label, new Date(d.start).toISOString()])).toEqual([
      ['2025-03-01', '2025-02-28T16:00:00.000Z'],
      ['2025-03-02', '2025-03-01T16:00:00.000Z'],
      ['2025-03-03', '2025-03-02T16:00:00.000Z'],
    ]);
    expect(sh.localLabel(utc('2025-03-01T01:30:00Z'))).toBe('2025-03-01T09:30+08:00');
    expect(slotMsFor(sh, days)).toBe(HOUR_MS);
  });

  it('gives New York a 23-hour day in March and a 25-hour day in November', () => {
    const ny = new ZoneClock('America/New_York');
    const spring = localBuckets(ny, 'day', utc('2025-03-09T12:00:00Z'), utc('2025-03-09T13:00:00Z'));
    expect(spring).toHaveLength(1);
    expect(spring[0]?.label).toBe('2025-03-09');
    expect(new Date(spring[0]?.start ?? 0).toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(((spring[0]?.end ?? 0) - (spring[0]?.start ?? 0)) / HOUR_MS).toBe(23);
    const fall = localBuckets(ny, 'day', utc('2025-11-02T12:00:00Z'), utc('2025-11-02T13:00:00Z'));
    expect(((fall[0]?.end ?? 0) - (fall[0]?.start ?? 0)) / HOUR_MS).toBe(25);
    const hours = localBuckets(ny, 'hour', fall[0]?.start ?? 0, fall[0]?.end ?? 0);
    expect(hours).toHaveLength(25);
    // The repeated hour appears twice, told apart by its offset.
    expect(hours.slice(1, 3).map((h) => h.label)).toEqual(['2025-11-02T01:00-04:00', '2025-11-02T01:00-05:00']);
  });

  it('uses quarter-hour slots for zones with half-hour offsets, and finds buckets by binary search', () => {
    const kolkata = new ZoneClock('Asia/Kolkata');
    const days = localBuckets(kolkata, 'day', utc('2025-03-01T00:00:00Z'), utc('2025-03-02T00:00:00Z'));
    expect(new Date(days[0]?.start ?? 0).toISOString()).toBe('2025-02-28T18:30:00.000Z');
    expect(slotMsFor(kolkata, days)).toBe(15 * 60_000);
    expect(bucketIndex(days, utc('2025-03-01T18:29:59Z'))).toBe(0);
    expect(bucketIndex(days, utc('2025-03-01T18:30:00Z'))).toBe(1);
    expect(bucketIndex(days, utc('2020-01-01T00:00:00Z'))).toBe(-1);
  });

  it('finds the start of a day whose midnight falls in a DST gap', () => {
    // America/Santiago moved clocks from 24:00 to 01:00 on 2024-09-08: the day starts at 01:00 local.
    const santiago = new ZoneClock('America/Santiago');
    const start = santiago.dayStart(utc('2024-09-08T12:00:00Z'));
    expect(santiago.dayLabel(start)).toBe('2024-09-08');
    expect(santiago.localLabel(start)).toBe('2024-09-08T01:00-03:00');
    expect(santiago.dayLabel(start - 1)).toBe('2024-09-07');
  });

  it('refuses unknown zones and empty ranges with a TelemetryQueryError', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(TelemetryQueryError);
    expect(() => localBuckets(new ZoneClock('UTC'), 'hour', 10, 10)).toThrow(/invalid range/);
  });
});
