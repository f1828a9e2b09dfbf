import { fromWords, highWord, lowWord } from './float-bits.js';
import { fusedMultiplyAdd as fma } from './fused-multiply-add.js';
import { sinCosTable } from './glibc-sin-cos-data.js';

/*
 * glibc's double sin and cos (the IBM Accurate Mathematical Library, without the slow
 * multi-precision paths since glibc 2.28), as the FMA variants `__sin_fma` / `__cos_fma` that
 * x86-64 glibc selects on CPUs with FMA and AVX2. Every multiply-add that those compiled functions
 * fuse is fused here, in the same order; the large-argument reduction (`__branred`) is compiled
 * without FMA in glibc and is plain double arithmetic here too.
 *
 * Ranges by |x|: below 2^-26 (sin) or 2^-27 (cos) the answer is x or 1; below 0.855469 a table of
 * sin and cos at k/128 plus short polynomials; below 2.426265 the same around pi/2 - |x|; below
 * 105414350 a four-part Cody-Waite reduction by pi/2; above, __branred's reduction with 2/pi in
 * 24-bit pieces.
 */

// Taylor coefficients for sin of a small argument (|x| < 0.126).
const taylor1 = -0.16666666666666666;
const taylor2 = 0.008333333333332329;
const taylor3 = -0.00019841269834414642;
const taylor4 = 2.755729806860771e-6;
const taylor5 = -2.5022014848318398e-8;
// Short polynomials around the table points (|x - k/128| <= 1/256).
const sin3 = -0.16666666666666488;
const sin5 = 0.008333332142857223;
const cos2 = 0.5;
const cos4 = -0.04166666666666644;
const cos6 = 0.001388888740079376;

const tableRounder = 52776558133248; // 1.5 * 2^45: adding it rounds |x| to a multiple of 1/128
const halfPiHigh = Math.PI / 2; // 0x1.921fb54442d18p+0
const halfPiLow = 6.123233995736766e-17; // pi/2 - halfPiHigh
const twoOverPi = 0.6366197723675814;
const integerRounder = 6755399441055744; // 1.5 * 2^52
// pi/2 in four parts for the medium-range reduction.
const medium1 = 1.5707963407039642;
const medium2 = -1.3909067564377153e-8;
const medium3 = -4.97899623147991e-17;
const medium4 = -1.9034889620193266e-25;

function copySign(magnitude: number, sign: number): number {
  return sign < 0 ? -Math.abs(magnitude) : Math.abs(magnitude);
}

/** sin(x + dx) for |x| < 0.855469 + a little, dx a small correction. */
function sinNearZero(x: number, dx: number): number {
  if (Math.abs(x) < 0.126) {
    const xx = x * x;
    let poly = fma(xx, taylor5, taylor4);
    poly = fma(xx, poly, taylor3);
    poly = fma(xx, poly, taylor2);
    poly = fma(xx, poly, taylor1);
    return x + fma(xx, fma(poly, x, -(0.5 * dx)), dx);
  }
  const correction = x <= 0 ? -dx : dx;
  const absolute = Math.abs(x);
  const rounded = tableRounder + absolute;
  const r = absolute - (rounded - tableRounder);
  const k = lowWord(rounded) << 2;
  const rr = r * r;
  const s = r + fma(r * rr, fma(rr, sin5, sin3), correction);
  const c = fma(r, correction, rr * fma(rr, fma(rr, cos6, cos4), cos2));
  const sinK = sinCosTable[k]!;
  const sinKLow = sinCosTable[k + 1]!;
  const cosK = sinCosTable[k + 2]!;
  const cosKLow = sinCosTable[k + 3]!;
  const correctionSum = fma(s, cosK, fma(-c, sinK, fma(s, cosKLow, sinKLow)));
  return copySign(sinK + correctionSum, x);
}

/** cos(x + dx) for |x| < 0.855469 + a little, dx a small correction. */
function cosNearZero(x: number, dx: number): number {
  const correction = x < 0 ? -dx : dx;
  const absolute = Math.abs(x);
  const rounded = tableRounder + absolute;
  const r = absolute - (rounded - tableRounder) + correction;
  const k = lowWord(rounded) << 2;
  const rr = r * r;
  const s = fma(r * rr, fma(rr, sin5, sin3), r);
  const c = rr * fma(rr, fma(rr, cos6, cos4), cos2);
  const sinK = sinCosTable[k]!;
  const sinKLow = sinCosTable[k + 1]!;
  const cosK = sinCosTable[k + 2]!;
  const cosKLow = sinCosTable[k + 3]!;
  const correctionSum = fma(-s, sinK, fma(-c, cosK, fma(-s, sinKLow, cosKLow)));
  return cosK + correctionSum;
}

/** sin of (reduced + correction) + q * pi/2, from the reduction registers. */
function sinOfQuadrant(q: number): number {
  const value = (q & 1) !== 0 ? cosNearZero(reduced, correction) : sinNearZero(reduced, correction);
  return (q & 2) !== 0 ? -value : value;
}

// Results of the reductions (module registers rather than objects: no allocation per call).
let quadrant = 0;
let reduced = 0;
let correction = 0;

/** x = quadrant*pi/2 + (reduced + correction) mod 2*pi, for |x| < 105414350. */
function reduceMedium(x: number): void {
  const t = fma(x, twoOverPi, integerRounder);
  const n = t - integerRounder;
  quadrant = lowWord(t) & 3;
  let y = fma(-n, medium1, x);
  y = fma(-n, medium2, y);
  const t2 = fma(-n, medium3, y);
  const partial = fma(-n, medium3, y - t2);
  reduced = fma(-n, medium4, t2);
  correction = partial + fma(-n, medium4, t2 - reduced);
}

// __branred's constants: 2/pi in 24-bit integer pieces, and pi/2 split for its last product.
const twoOverPiPieces = [
  10680707, 7228996, 1387004, 2578385, 16069853, 12639074, 9804092, 4427841, 16666979, 11263675,
  12935607, 2387514, 4345298, 14681673, 3074569, 13734428, 16653803, 1880361, 10960616, 8533493,
  3062596, 8710556, 7349940, 6258241, 3772886, 3769171, 3798172, 8675211, 12450088, 3874808,
  9961438, 366607, 15675153, 9132554, 7151469, 3571407, 2607881, 12013382, 4155038, 6285869,
  7677882, 13102053, 15825725, 473591, 9065106, 15363067, 6271263, 9264392, 5636912, 4652155,
  7056368, 13614112, 10155062, 1944035, 9527646, 15080200, 6658437, 6231200, 6832269, 16767104,
  5075751, 3212806, 1398474, 7579849, 6349435, 12618859, 4703257, 12806093, 14477321, 2786137,
  12875403, 9837734, 14528324, 13719321, 343717,
];
const splitter = 134217729; // 2^27 + 1
const twoTo600Inverse = 2 ** -600;
const twoTo24Inverse = 2 ** -24;
const rounderTo4 = 27021597764222976; // 1.5 * 2^54: rounds to a multiple of 4
const large1 = 1.5707963407039642;
const large2 = -1.3909067675399456e-8;
const pieces = new Float64Array(6);

/** One half of __branred: x*2/pi for a 27-bit-or-shorter x, as an integer part and a fraction. */
function branredPart(x: number): { sum: number; high: number; low: number } {
  let exponent = (highWord(x) >>> 20) & 2047;
  exponent = Math.trunc((exponent - 450) / 24);
  if (exponent < 0) exponent = 0;
  let scale = fromWords(0x63f00000 - ((exponent * 24) << 20), 0);
  for (let i = 0; i < 6; i++) {
    pieces[i] = x * twoOverPiPieces[exponent + i]! * scale;
    scale *= twoTo24Inverse;
  }
  let sum = 0;
  for (let i = 0; i < 3; i++) {
    const whole = pieces[i]! + integerRounder - integerRounder;
    sum += whole;
    pieces[i] = pieces[i]! - whole;
  }
  let t = 0;
  for (let i = 0; i < 6; i++) t += pieces[5 - i]!;
  let low = pieces[0]! - t + pieces[1]! + pieces[2]! + pieces[3]! + pieces[4]! + pieces[5]!;
  const whole = t + integerRounder - integerRounder;
  sum += whole;
  t -= whole;
  const high = t + low;
  low = t - high + low;
  sum -= sum + rounderTo4 - rounderTo4;
  return { sum, high, low };
}

/** __branred: the same reduction for any finite x (used from 105414350 up). */
function reduceLarge(x: number): void {
  const scaled = x * twoTo600Inverse;
  const t = scaled * splitter;
  const x1 = t - (t - scaled);
  const x2 = scaled - x1;
  const first = branredPart(x1);
  const second = branredPart(x2);
  let sum = first.sum + second.sum;
  let b = first.high + second.high;
  let bb =
    Math.abs(first.high) > Math.abs(second.high)
      ? first.high - b + second.high
      : second.high - b + first.high;
  if (b > 0.5) {
    b -= 1;
    sum += 1;
  } else if (b < -0.5) {
    b += 1;
    sum -= 1;
  }
  let s = b + (bb + first.low + second.low);
  const tail = b - s + bb + (first.low + second.low);
  b = s * splitter;
  const s1 = b - (b - s);
  const s2 = s - s1;
  b = s * halfPiHigh;
  bb =
    s1 * large1 - b + s1 * large2 + s2 * large1 + (s2 * large2 + s * halfPiLow + tail * halfPiHigh);
  s = b + bb;
  quadrant = Math.trunc(sum) & 3;
  reduced = s;
  correction = b - s + bb;
}

/**
 * Sine of a double, bit for bit what glibc's `sin` returns on x86-64 Linux (glibc 2.28 or later on
 * a CPU with FMA, the variant x86-64 glibc picks there; CPython's `math.sin` calls it). Not
 * correctly rounded: glibc's error reaches about 0.55 ulp.
 *
 * @example
 * glibcSin(Math.PI / 6); // 0.49999999999999994
 */
export function glibcSin(x: number): number {
  const top = highWord(x) & 0x7fffffff;
  if (top < 0x3e500000) return x;
  if (top < 0x3feb6000) return sinNearZero(x, 0);
  if (top < 0x400368fd) return copySign(cosNearZero(halfPiHigh - Math.abs(x), halfPiLow), x);
  if (top < 0x419921fb) {
    reduceMedium(x);
    return sinOfQuadrant(quadrant);
  }
  if (top < 0x7ff00000) {
    reduceLarge(x);
    return sinOfQuadrant(quadrant);
  }
  return Number.NaN;
}

/**
 * Cosine of a double, bit for bit what glibc's `cos` returns on x86-64 Linux (glibc 2.28 or later
 * on a CPU with FMA, the variant x86-64 glibc picks there; CPython's `math.cos` calls it). Not
 * correctly rounded: glibc's error reaches about 0.55 ulp.
 *
 * @example
 * glibcCos(Math.PI / 3); // 0.5000000000000001
 */
export function glibcCos(x: number): number {
  const top = highWord(x) & 0x7fffffff;
  if (top < 0x3e400000) return 1;
  if (top < 0x3feb6000) return cosNearZero(x, 0);
  if (top < 0x400368fd) {
    const y = halfPiHigh - Math.abs(x);
    const a = y + halfPiLow;
    return sinNearZero(a, y - a + halfPiLow);
  }
  if (top < 0x419921fb) {
    reduceMedium(x);
    return sinOfQuadrant(quadrant + 1);
  }
  if (top < 0x7ff00000) {
    reduceLarge(x);
    return sinOfQuadrant(quadrant + 1);
  }
  return Number.NaN;
}
