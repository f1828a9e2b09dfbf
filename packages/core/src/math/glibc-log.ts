import { fromWords, highWord, lowWord } from './float-bits.js';
import { fusedMultiplyAdd } from './fused-multiply-add.js';
import { logCenters, logInverseCenters } from './glibc-log-data.js';

/*
 * glibc's double log (2.28 and later, from Arm's optimized-routines), as the FMA variant
 * `__log_fma` that x86-64 glibc selects on CPUs with FMA and AVX2. Each multiply-add that the
 * compiled function fuses is fused here, in the same order.
 *
 * Away from 1: x = 2^k * z, z in [0x3fe6000000000000, twice that) split into 128 subintervals,
 * log(x) = k*ln2 + log(c) + log1p(z/c - 1) with a degree-6 polynomial for log1p(r) - r, summed
 * as hi + lo. Near 1 (x in [1 - 2^-4, 1 + 0x1.09p-4)): a degree-13 polynomial in r = x - 1, with
 * the r - r^2/2 head split so that it is exact.
 */

const ln2High = 0.6931471805598903;
const ln2Low = 5.497923018708371e-14;
const a0 = -0.5000000000000001;
const a1 = 0.33333333331825593;
const a2 = -0.2499999999622955;
const a3 = 0.20000304511814496;
const a4 = -0.16667054827627667;
const b0 = -0.5;
const b1 = 0.3333333333333352;
const b2 = -0.24999999999998432;
const b3 = 0.19999999999320328;
const b4 = -0.16666666669929706;
const b5 = 0.14285715076560868;
const b6 = -0.12499997863982555;
const b7 = 0.11110712032936046;
const b8 = -0.10000486757818193;
const b9 = 0.09181994006195467;
const b10 = -0.08328363062289341;

const nearOneLow = 0.9375; // 1 - 2^-4
const nearOneHigh = 1.064697265625; // 1 + 0x1.09p-4
const subintervalOffsetHigh = 0x3fe60000;

function logNearOne(x: number): number {
  if (x === 1) return 0;
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  const b12 = fusedMultiplyAdd(r, b2, b1);
  const b45 = fusedMultiplyAdd(r, b5, b4);
  const b78 = fusedMultiplyAdd(r, b8, b7);
  const b123 = fusedMultiplyAdd(r2, b3, b12);
  const b456 = fusedMultiplyAdd(r2, b6, b45);
  let tail = fusedMultiplyAdd(r2, b9, b78);
  tail = fusedMultiplyAdd(r3, b10, tail);
  tail = fusedMultiplyAdd(tail, r3, b456);
  tail = fusedMultiplyAdd(tail, r3, b123);
  // r - r^2/2 as hi + lo: rHigh keeps the top 26 bits of r so that rHigh^2 is (almost) exact.
  const scaled = r * 134217728;
  const rHigh = r + scaled - scaled;
  const rLow = r - rHigh;
  const rHigh2 = rHigh * rHigh;
  const hi = fusedMultiplyAdd(rHigh2, b0, r);
  let lo = fusedMultiplyAdd(rHigh2, b0, r - hi);
  lo = fusedMultiplyAdd(b0 * rLow, rHigh + r, lo);
  return hi + fusedMultiplyAdd(tail, r3, lo);
}

/**
 * Natural logarithm of a double, bit for bit what glibc's `log` returns on x86-64 Linux (glibc 2.29
 * or later on a CPU with FMA, the variant x86-64 glibc picks there; CPython's `math.log` and
 * NumPy's legacy `RandomState` call it). Not correctly rounded: glibc's error reaches 0.52 ulp, and
 * on 0.086% of inputs k*2^-53 in (0, 1) (measured) its result is the other neighbour of the exact value.
 *
 * @example
 * glibcLog(0.7111917696952796); // -0.34081316726886374 (the exact log rounds to -0.3408131672688638)
 */
export function glibcLog(x: number): number {
  if (x >= nearOneLow && x < nearOneHigh) return logNearOne(x);
  let high = highWord(x);
  let low = lowWord(x);
  const top = high >>> 16;
  if ((top - 0x10) >>> 0 >= 0x7fe0) {
    // Zero, subnormal, negative, infinite or NaN.
    if (x === 0) return Number.NEGATIVE_INFINITY;
    if (x === Number.POSITIVE_INFINITY) return x;
    if ((top & 0x8000) !== 0 || (top & 0x7ff0) === 0x7ff0) return Number.NaN;
    // Positive subnormal: scale into the normal range (exactly), then undo in the exponent.
    const scaled = x * 4503599627370496;
    high = (highWord(scaled) - (52 << 20)) >>> 0;
    low = lowWord(scaled);
  }
  const offsetHigh = (high - subintervalOffsetHigh) >>> 0;
  const index = (offsetHigh >>> 13) & 0x7f;
  const k = (offsetHigh | 0) >> 20;
  const z = fromWords((high - (offsetHigh & 0xfff00000)) >>> 0, low);
  const inverseCenter = logInverseCenters[index]!;
  const logCenter = logCenters[index]!;

  const w = fusedMultiplyAdd(k, ln2High, logCenter);
  const r = fusedMultiplyAdd(z, inverseCenter, -1);
  const a12 = fusedMultiplyAdd(r, a2, a1);
  const hi = r + w;
  const r2 = r * r;
  const r3 = r * r2;
  const lo = fusedMultiplyAdd(k, ln2Low, w - hi + r);
  const a34 = fusedMultiplyAdd(r, a4, a3);
  const head = fusedMultiplyAdd(r2, a0, lo);
  const poly = fusedMultiplyAdd(r2, a34, a12);
  return fusedMultiplyAdd(r3, poly, head) + hi;
}
