import { float32Bits } from './float-bits.js';
import { fusedMultiplyAdd } from './fused-multiply-add.js';

/*
 * glibc's sincosf (2.28 and later, from Arm's optimized-routines), as the FMA variant
 * `__sincosf_fma` that x86-64 glibc selects on CPUs with FMA and AVX2. Every multiply-add fused in
 * that compiled function is fused here, in the same order.
 *
 * |x| < pi/4: polynomials in x directly. |x| < 120: x - n*pi/2 with one fused multiply-subtract.
 * Larger: an exact 32x96-bit integer product with 4/pi picks the quadrant and the 2.62 fixed-point
 * remainder. Then sin by an odd degree-7 and cos by an even degree-8 polynomial, in double,
 * rounded to float once; odd quadrants swap sin and cos, and quadrants 2 and 3 use negated cosine
 * coefficients.
 */

const c0 = 1;
const c1 = -0.49999999725108224;
const c2 = 0.041666623324344516;
const c3 = -0.001388676379437604;
const c4 = 2.4390450703564542e-5;
const s1 = -0.16666654943701084;
const s2 = 0.008332178146138854;
const s3 = -0.00019517298981385725;
const quadrantSigns = [1, -1, -1, 1];
const halfPiInverseScaled = 10680707.430881744; // 2/pi * 2^24
const halfPi = Math.PI / 2; // 0x1.921fb54442d18p+0 (exact: halving a double)
const twoPiOver2To64 = 3.4061215800865545e-19; // pi/2 * 2^-62: one unit of the 2.62 fixed-point quadrant count

// 4/pi to 192 bits, one entry per byte offset so that any 96-bit window is three aligned words.
const fourOverPi = [
  0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529, 0x441529fc,
  0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0, 0x34ddc0db,
  0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
].map((word) => BigInt(word));

const mask64 = (1n << 64n) - 1n;

/** Quadrant and remainder (times pi/2 would be the reduced angle) for |x| >= 120; exact integers. */
function reduceLarge(bits: number): { quadrant: number; reduced: number } {
  const words = (bits >>> 26) & 15;
  const shift = (bits >>> 23) & 7;
  const mantissa = BigInt((((bits & 0x7fffff) | 0x800000) << shift) >>> 0);
  const low = (mantissa * fourOverPi[words]!) & 0xffffffffn;
  const middle = mantissa * fourOverPi[words + 4]!;
  const high = mantissa * fourOverPi[words + 8]!;
  let fixed = ((high >> 32n) | (low << 32n)) & mask64;
  fixed = (fixed + middle) & mask64;
  const quadrant = ((fixed + (1n << 61n)) & mask64) >> 62n;
  fixed = (fixed - (quadrant << 62n)) & mask64;
  return {
    quadrant: Number(quadrant),
    reduced: Number(BigInt.asIntN(64, fixed)) * twoPiOver2To64,
  };
}

/** Fills `out` with [sin, cos] from the reduced angle's polynomials, as glibc's sincosf_poly. */
function polynomials(
  x: number,
  x2: number,
  negateCos: boolean,
  swap: boolean,
  out: [number, number],
): [number, number] {
  const sign = negateCos ? -1 : 1;
  const x3 = x2 * x;
  const x4 = x2 * x2;
  const x5 = x2 * x3;
  const x6 = x2 * x4;
  const sHigh = fusedMultiplyAdd(x2, s3, s2);
  const cHigh = fusedMultiplyAdd(x2, sign * c4, sign * c3);
  const cLow = fusedMultiplyAdd(x2, sign * c1, sign * c0);
  const s = fusedMultiplyAdd(x3, s1, x);
  const c = fusedMultiplyAdd(x4, sign * c2, cLow);
  const sine = Math.fround(fusedMultiplyAdd(x5, sHigh, s));
  const cosine = Math.fround(fusedMultiplyAdd(x6, cHigh, c));
  out[0] = swap ? cosine : sine;
  out[1] = swap ? sine : cosine;
  return out;
}

/**
 * Sine and cosine of a float32, bit for bit what glibc's `sincosf` returns on x86-64 Linux
 * (glibc 2.28 or later on a CPU with FMA, the variant x86-64 glibc picks there). The input must be
 * a float32 value (one that `Math.fround` leaves unchanged); both results are float32 values.
 * Not correctly rounded (glibc's worst case is 0.56 ulp): it matches glibc, not the exact values.
 *
 * @example
 * const [sin, cos] = glibcSincosf(Math.fround(1)); // [0.8414709568023682, 0.5403022766113281]
 */
export function glibcSincosf(x: number): [sin: number, cos: number] {
  const out: [number, number] = [0, 0];
  const bits = float32Bits(x);
  const top12 = (bits >>> 20) & 0x7ff;
  if (top12 < 0x3f4) {
    // |x| < pi/4 (compared on the top 12 bits, as glibc does).
    if (top12 < 0x398) {
      // |x| < 2^-12: sin x = x and cos x = 1 in float.
      out[0] = x;
      out[1] = 1;
      return out;
    }
    return polynomials(x, x * x, false, false, out);
  }
  if (top12 < 0x42f) {
    // |x| < 120: one fused multiply-subtract with pi/2 is accurate enough.
    const quadrant = ((Math.trunc(x * halfPiInverseScaled) | 0) + 0x800000) >> 24;
    const reduced = fusedMultiplyAdd(-quadrant, halfPi, x);
    return polynomials(
      reduced * quadrantSigns[quadrant & 3]!,
      reduced * reduced,
      (quadrant & 2) !== 0,
      (quadrant & 1) !== 0,
      out,
    );
  }
  if (top12 < 0x7f8) {
    const { quadrant, reduced } = reduceLarge(bits);
    const signed = quadrant + (bits >>> 31);
    return polynomials(
      reduced * quadrantSigns[signed & 3]!,
      reduced * reduced,
      (signed & 2) !== 0,
      (quadrant & 1) !== 0,
      out,
    );
  }
  out[0] = Number.NaN;
  out[1] = Number.NaN;
  return out;
}
