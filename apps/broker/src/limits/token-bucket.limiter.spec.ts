import { TokenBucket } from './token-bucket.limiter';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const b = new TokenBucket(5, 10, 0);
    const first = Array.from({ length: 12 }, () => b.take(0));
    expect(first.filter(Boolean)).toHaveLength(10);
    expect(b.take(100)).toBe(false); // 0.5 token
    expect(b.take(200)).toBe(true); // 1 token after 200 ms at 5/s
    expect(b.take(200)).toBe(false);
    // A long pause refills only up to the burst.
    const later = Array.from({ length: 15 }, () => b.take(60_000));
    expect(later.filter(Boolean)).toHaveLength(10);
  });
  it('is not refilled by a clock stepping back', () => {
    const b = new TokenBucket(1, 1, 10_000);
    expect(b.take(10_000)).toBe(true);
    expect(b.take(5_000)).toBe(false);
    expect(b.take(10_500)).toBe(false);
    expect(b.take(11_000)).toBe(true);
  });
  it.each([
    [0, 1],
    [1, 0],
    [Number.NaN, 2],
  ])('refuses rate %p burst %p', (rate, burst) => {
    expect(() => new TokenBucket(rate, burst, 0)).toThrow(RangeError);
  });
});
