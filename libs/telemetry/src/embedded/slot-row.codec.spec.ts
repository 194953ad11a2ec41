import { decodeSlots, encodeSlots } from './slot-row.codec';

describe('slot row codec', () => {
  it('round-trips zeros, small, large and negative integers, one byte for each small value', () => {
    const values = [0, 1, 63, 64, -1, -64, 3_500, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER];
    expect(decodeSlots(encodeSlots(values), values.length)).toEqual(values);
    expect(encodeSlots(new Array<number>(48).fill(0))).toHaveLength(48);
  });

  it('refuses fractions and rows of the wrong length', () => {
    expect(() => encodeSlots([1.5])).toThrow(RangeError);
    expect(() => decodeSlots(encodeSlots([1, 2]), 3)).toThrow(/expected 3/);
    expect(() => decodeSlots(Buffer.from([0x80]), 1)).toThrow(/truncated/);
  });
});
