import { formatDuration, formatLiters, SiteTime } from './site-time';

const H = 3_600_000;

describe('SiteTime', () => {
  it('computes Shanghai local days (UTC+8, no DST)', () => {
    const t = new SiteTime('Asia/Shanghai');
    const ts = Date.UTC(2025, 10, 21, 3, 0); // 11:00 local on the 21st
    expect(t.dayStart(ts)).toBe(Date.UTC(2025, 10, 20, 16, 0));
    expect(t.dayStart(Date.UTC(2025, 10, 20, 15, 59, 59, 999))).toBe(Date.UTC(2025, 10, 19, 16, 0));
    expect(t.hm(ts)).toBe('11:00');
    expect(t.date(ts)).toBe('2025-11-21');
    expect(t.when(ts - 24 * H, ts)).toBe('2025-11-20 11:00');
  });

  it('handles Europe/Berlin DST days of 23 and 25 hours', () => {
    const t = new SiteTime('Europe/Berlin');
    // 2025-03-30: clocks jump 02:00 -> 03:00 (23 h day); 2025-10-26: 03:00 -> 02:00 (25 h day).
    const spring = t.dayStart(Date.UTC(2025, 2, 30, 12));
    expect(spring).toBe(Date.UTC(2025, 2, 29, 23));
    expect(t.dayStart(Date.UTC(2025, 2, 31, 12)) - spring).toBe(23 * H);
    const autumn = t.dayStart(Date.UTC(2025, 9, 26, 12));
    expect(autumn).toBe(Date.UTC(2025, 9, 25, 22));
    expect(t.dayStart(Date.UTC(2025, 9, 27, 12)) - autumn).toBe(25 * H);
    expect(t.hm(Date.UTC(2025, 9, 26, 12))).toBe('13:00');
    expect(t.hm(Date.UTC(2025, 6, 1, 12))).toBe('14:00');
  });

  it('formats durations and liters', () => {
    expect(formatDuration(12 * H)).toBe('12 h');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(20_000)).toBe('20 s');
    expect(formatLiters(8.23)).toBe('8.2 L');
    expect(formatLiters(10)).toBe('10 L');
  });
});
