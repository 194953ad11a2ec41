/**
 * One rollup row holds a UTC day of one series: `metrics x slots` integers (e.g. water: usage in ml
 * and interval counts for 24 hourly slots), metric-major, as zigzag varints. Most slots hold small
 * numbers or zero (nights), so a water day takes about 80 bytes instead of 192 as fixed int32s or
 * 48 rows of a narrow table; see the size measurements in docs/telemetry.md.
 */
export function encodeSlots(values: readonly number[]): Buffer {
  const bytes: number[] = [];
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`slot value must be a safe integer, got ${v}`);
    // Zigzag with arithmetic rather than bit operators: bit operators would truncate to 32 bits.
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 0x80) {
      bytes.push((z % 0x80) | 0x80);
      z = Math.floor(z / 0x80);
    }
    bytes.push(z);
  }
  return Buffer.from(bytes);
}

export function decodeSlots(blob: Uint8Array, expected: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < blob.length) {
    let z = 0;
    let mul = 1;
    for (;;) {
      const b = blob[i++];
      if (b === undefined) throw new RangeError('truncated slot row');
      z += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    out.push(z % 2 === 0 ? z / 2 : -(z + 1) / 2);
  }
  if (out.length !== expected) throw new RangeError(`slot row holds ${out.length} values, expected ${expected}`);
  return out;
}
