import { addDays, localHour, localMidnight, parseDuration, parseLocalDate, parseLocalDateTime, weekday, zonedTime } from './zoned-time.util';

describe('zoned time', () => {
  it('finds local midnight in Shanghai (UTC+8, no daylight saving)', () => {
    expect(new Date(localMidnight({ year: 2026, month: 11, day: 1 }, 'Asia/Shanghai')).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(localHour(Date.UTC(2026, 10, 1, 0, 30), 'Asia/Shanghai')).toBeCloseTo(8.5, 5);
  });

  it('handles a daylight-saving change (Europe/Berlin, 2026-03-29)', () => {
    const date = { year: 2026, month: 3, day: 29 };
    expect(new Date(zonedTime(date, 60, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T00:00:00.000Z'); // 01:00 CET
    expect(new Date(zonedTime(date, 4 * 60, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T02:00:00.000Z'); // 04:00 CEST
    const day = localMidnight(addDays(date, 1), 'Europe/Berlin') - localMidnight(date, 'Europe/Berlin');
    expect(day).toBe(23 * 3600_000);
  });

  it('parses dates, date-times (local or absolute) and durations', () => {
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(weekday({ year: 2026, month: 11, day: 1 })).toBe(0); // a Sunday
    expect(parseLocalDateTime('2026-11-02T08:00', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 2, 0, 0));
    expect(parseLocalDateTime('2026-11-02T08:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 2, 8, 0));
    expect(parseLocalDateTime('2026-11-02T08:00+09:00', 'UTC')).toBe(Date.UTC(2026, 10, 1, 23, 0));
    expect(parseLocalDateTime('2026-11-02T25:00', 'UTC')).toBeNull();
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('soon')).toBeNull();
  });
});
