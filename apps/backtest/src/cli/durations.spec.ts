import { parseDuration, parseInstant } from './durations';
import { UsageError } from './usage-error';

describe('durations and instants on the command line', () => {
  it('reads durations with units, bare seconds and "never"', () => {
    expect(parseDuration('--ack-after', '10m')).toBe(600_000);
    expect(parseDuration('--ack-after', '2h')).toBe(7_200_000);
    expect(parseDuration('--ack-after', '1.5h')).toBe(5_400_000);
    expect(parseDuration('--ack-after', '90')).toBe(90_000);
    expect(parseDuration('--ack-after', '0')).toBe(0);
    expect(parseDuration('--ack-after', 'never')).toBeNull();
    expect(() => parseDuration('--ack-after', '10 minutes')).toThrow(UsageError);
    expect(() => parseDuration('--ack-after', '-5m')).toThrow(/--ack-after: "-5m" is not a duration/);
    expect(() => parseDuration('--ack-after', '40d')).toThrow(/out of range/);
  });

  it('reads dates in the site zone and absolute instants', () => {
    expect(parseInstant('--from', '2026-11-16', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 15, 16));
    expect(parseInstant('--from', '2026-11-16T08:30', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 16, 0, 30));
    expect(parseInstant('--from', '2026-03-29T12:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 10));
    expect(parseInstant('--from', '2026-11-16T00:00:00Z', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 16));
    expect(parseInstant('--from', '1793462400000', 'UTC')).toBe(1793462400000);
    expect(() => parseInstant('--from', 'yesterday', 'UTC')).toThrow(UsageError);
  });
});
