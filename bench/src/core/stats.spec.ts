import { median, percentile, summarize } from './stats';

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(v, 50), percentile(v, 95), percentile(v, 99), percentile(v, 100)]).toEqual([50, 95, 99, 100]);
    expect(summarize([3, 1, 2])).toMatchObject({ samples: 3, p50: 2, p99: 3, max: 3, mean: 2 });
  });
  it('median of two rounds is their mean', () => {
    expect(median([10, 20])).toBe(15);
    expect(median([5, 1, 9])).toBe(5);
  });
});
