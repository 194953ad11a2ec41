import { wallTimeToEpoch, zoneOffsetMs } from './zonedTime';

describe('site wall-clock times', () => {
  it('Shanghai is UTC+8 all year (no DST)', () => {
    expect(zoneOffsetMs(Date.UTC(2026, 0, 15), 'Asia/Shanghai')).toBe(8 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2026, 6, 15), 'Asia/Shanghai')).toBe(8 * 3_600_000);
  });

  it('18:00 in Shanghai is 10:00 UTC, whatever zone the test runs in', () => {
    expect(wallTimeToEpoch({ year: 2026, month: 11, day: 22, hour: 18, minute: 0 }, 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 22, 10, 0));
  });

  it('handles a zone with DST on both sides of the change', () => {
    // Europe/Berlin: CET (+1) in January, CEST (+2) in July.
    expect(wallTimeToEpoch({ year: 2026, month: 1, day: 10, hour: 12, minute: 0 }, 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 10, 11, 0));
    expect(wallTimeToEpoch({ year: 2026, month: 7, day: 10, hour: 12, minute: 0 }, 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 10, 10, 0));
  });
});
