import { Rng } from './prng.util';

describe('Rng', () => {
  it('gives the same sequence for the same seed and labels, another for other labels', () => {
    const a = Rng.derive('7', 'WM-0001');
    const b = Rng.derive('7', 'WM-0001');
    const c = Rng.derive('7', 'WM-0002');
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('forks children that do not depend on how far the parent has run', () => {
    const a = Rng.derive('1', 'x');
    const b = Rng.derive('1', 'x');
    expect(a.fork('child').next()).toBe(b.fork('child').next());
    expect(a.fork('child').next()).not.toBe(a.fork('other').next());
  });

  it('draws uniform, normal, exponential and Poisson values with the expected means', () => {
    const rng = Rng.derive('stats');
    const n = 20000;
    const mean = (f: () => number) => Array.from({ length: n }, f).reduce((s, x) => s + x, 0) / n;
    expect(mean(() => rng.next())).toBeCloseTo(0.5, 1);
    expect(mean(() => rng.normal(10, 2))).toBeCloseTo(10, 1);
    expect(mean(() => rng.exponential(3))).toBeCloseTo(3, 0);
    expect(mean(() => rng.poisson(2.5))).toBeCloseTo(2.5, 1);
    expect(mean(() => rng.poisson(50))).toBeCloseTo(50, 0);
    const ints = Array.from({ length: 1000 }, () => rng.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
  });

  it('picks by weight', () => {
    const rng = Rng.derive('w');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10000; i++) counts[rng.weighted({ a: 1, b: 3 })]++;
    expect(counts.b / counts.a).toBeGreaterThan(2.6);
    expect(counts.b / counts.a).toBeLessThan(3.4);
  });
});
