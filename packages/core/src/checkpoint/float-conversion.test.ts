import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bf16ToF32,
  f8e4m3ToF32,
  f8e5m2ToF32,
  f16BitsToF32Bits,
  f16ToF32,
  f32BitsToBf16Bits,
  f32BitsToF16Bits,
  f32ToBf16Bits,
  f32ToF16Bits,
  float16ToFloat32Array,
  float32Bits,
  float32FromBits,
  float32ToFloat16Array,
} from './float-conversion.js';

/** Value of a half-precision bit pattern, decoded straight from the IEEE definition. */
function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

// Every finite non-negative half, ascending: the oracle searches this table.
const positiveHalves = Array.from({ length: 0x7c00 }, (_, bits) => halfValue(bits));

/** Nearest half by exhaustive search, ties to the even bit pattern; beyond max+half-ulp is inf. */
function oracleF16(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= 65520) return sign | 0x7c00;
  let low = 0;
  let high = positiveHalves.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (positiveHalves[middle]! <= magnitude) low = middle;
    else high = middle;
  }
  const below = magnitude - positiveHalves[low]!;
  const above = positiveHalves[high]! - magnitude;
  const pick = below < above ? low : above < below ? high : low % 2 === 0 ? low : high;
  return sign | pick;
}

/** Value of a bfloat16 pattern, with the all-ones exponent read as 2^128 (where rounding overflows). */
function bf16Candidate(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 7) & 0xff;
  const mantissa = bits & 0x7f;
  if (exponent === 0) return sign * mantissa * 2 ** -133;
  return sign * (1 + mantissa / 128) * 2 ** (exponent - 127);
}

/** Nearest bfloat16 by comparing the two candidates that bracket the value, ties to even. */
function oracleBf16(bits: number): number {
  const value = float32FromBits(bits);
  if (!Number.isFinite(value)) return (bits >>> 16) & 0xffff;
  const low = (bits >>> 16) & 0xffff;
  const high = low + 1;
  const distanceLow = Math.abs(value - bf16Candidate(low));
  const distanceHigh = Math.abs(bf16Candidate(high) - value);
  if (distanceLow < distanceHigh) return low;
  if (distanceHigh < distanceLow) return high;
  return low % 2 === 0 ? low : high;
}

describe('F16', () => {
  it('decodes every one of the 65536 patterns to its IEEE value and encodes it back', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = f16ToF32(bits);
      const expected = halfValue(bits);
      if (Number.isNaN(expected)) {
        expect(Number.isNaN(value)).toBe(true);
        expect(f32BitsToF16Bits(f16BitsToF32Bits(bits)) | 0x200).toBe(bits | 0x200);
      } else {
        expect(Object.is(value, expected)).toBe(true);
        expect(f32BitsToF16Bits(f16BitsToF32Bits(bits))).toBe(bits);
      }
    }
  });

  it('rounds float32 to nearest even, matching an exhaustive-search oracle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const value = float32FromBits(bits);
        if (Number.isNaN(value)) return;
        expect(f32BitsToF16Bits(bits)).toBe(oracleF16(value));
      }),
      { numRuns: 20_000 },
    );
    // Dense sweep around the subnormal / normal boundary and the overflow threshold.
    for (const base of [2 ** -25, 2 ** -24, 2 ** -14, 65504, 65520]) {
      const start = float32Bits(base) - 3000;
      for (let bits = start; bits < start + 6000; bits++) {
        expect(f32BitsToF16Bits(bits)).toBe(oracleF16(float32FromBits(bits)));
      }
    }
  });

  it('handles the edge values exactly', () => {
    const cases: Array<[number, number]> = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [65504, 0x7bff], // largest finite
      [65519.99, 0x7bff],
      [65520, 0x7c00], // halfway to 2^16: ties to even, which is infinity
      [Number.POSITIVE_INFINITY, 0x7c00],
      [Number.NEGATIVE_INFINITY, 0xfc00],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // halfway to the smallest subnormal: ties to even zero
      [-(2 ** -25), 0x8000],
      [3 * 2 ** -25, 0x0002], // 1.5 ulp: ties to even 2
      [1023 * 2 ** -24, 0x03ff], // largest subnormal
      [1e-10, 0x0000],
    ];
    for (const [value, bits] of cases) expect([value, f32ToF16Bits(value)]).toEqual([value, bits]);
    expect(Number.isNaN(f16ToF32(f32ToF16Bits(Number.NaN)))).toBe(true);
    expect(f32BitsToF16Bits(0x7fc00001) & 0x7c00).toBe(0x7c00);
    expect(f32BitsToF16Bits(0x7f800001) & 0x3ff).not.toBe(0); // signalling NaN with low payload stays NaN
  });

  it('keeps NaN payloads through the array conversions', () => {
    const halves = new Uint16Array([0x7e01, 0xfe3f, 0x3c00, 0x8000]);
    expect(float32ToFloat16Array(float16ToFloat32Array(halves))).toEqual(halves);
  });
});

describe('BF16', () => {
  it('rounds float32 to nearest even, matching a two-candidate oracle', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        if (Number.isNaN(float32FromBits(bits))) return;
        expect(f32BitsToBf16Bits(bits)).toBe(oracleBf16(bits));
      }),
      { numRuns: 20_000 },
    );
    // Dense sweep at the top of the range, where rounding overflows into infinity.
    for (let bits = 0x7f7f0000; bits <= 0x7f7fffff; bits += 7) {
      expect(f32BitsToBf16Bits(bits)).toBe(oracleBf16(bits));
    }
  });

  it('handles the edge values exactly', () => {
    expect(f32ToBf16Bits(1)).toBe(0x3f80);
    expect(f32ToBf16Bits(-0)).toBe(0x8000);
    expect(f32ToBf16Bits(Number.POSITIVE_INFINITY)).toBe(0x7f80);
    expect(f32BitsToBf16Bits(0x7f7fffff)).toBe(0x7f80); // float32 max rounds up to infinity
    expect(bf16ToF32(0x7f7f)).toBe(3.3895313892515355e38); // largest finite bfloat16
    expect(f32BitsToBf16Bits(0x3f808000)).toBe(0x3f80); // tie, even stays
    expect(f32BitsToBf16Bits(0x3f818000)).toBe(0x3f82); // tie, odd rounds up
    expect(f32BitsToBf16Bits(0x00010000)).toBe(0x0001); // subnormal kept
    expect(f32BitsToBf16Bits(0x00008000)).toBe(0x0000); // half the smallest subnormal: even zero
    const nan = f32BitsToBf16Bits(0x7f800001); // signalling NaN whose payload sits in the low bits
    expect(Number.isNaN(bf16ToF32(nan))).toBe(true);
    for (let bits = 0; bits < 0x10000; bits++) {
      const back = f32BitsToBf16Bits(float32Bits(bf16ToF32(bits)));
      const isNotANumber = (bits & 0x7f80) === 0x7f80 && (bits & 0x7f) !== 0;
      // Non-NaN patterns come back unchanged; NaN comes back as NaN with the quiet bit set.
      expect(back).toBe(isNotANumber ? bits | 0x40 : bits);
    }
  });
});

describe('F8', () => {
  it('decodes E4M3 (FN) and E5M2 bytes', () => {
    expect([0x38, 0x7e, 0xfe, 0x01, 0x08, 0x80].map(f8e4m3ToF32)).toEqual([
      1,
      448,
      -448,
      2 ** -9,
      2 ** -6,
      -0,
    ]);
    expect(Number.isNaN(f8e4m3ToF32(0x7f))).toBe(true);
    expect([0x3c, 0x7b, 0x7c, 0xfc, 0x01].map(f8e5m2ToF32)).toEqual([
      1,
      57344,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      2 ** -16,
    ]);
    expect(Number.isNaN(f8e5m2ToF32(0x7d))).toBe(true);
  });
});
