import { fixedToDoubleDouble, piFixed, roundFixed, sinCosFixed } from './big-fixed-point.js';
import {
  ddAdd,
  ddHigh,
  ddLow,
  ddMultiply,
  inverseLowPart,
  roundIfDecided,
  twoProduct,
  twoSum,
} from './double-double.js';
import { highWord, lowWord } from './float-bits.js';

/*
 * Correctly rounded sine and cosine (round to nearest, ties to even), CORE-MATH style: a
 * double-double evaluation with an error far below the 2^-80 relative bound that its rounding is
 * checked against, and a BigInt path (Payne-Hanek reduction with 2/pi to 1,600+ bits, Taylor
 * series in 400+ bit fixed point) when the check fails or the argument is outside the fast path.
 *
 * Fast path, |x| < 2^20: n = nearest integer to x*2/pi, r = x - n*pi/2 as a double-double with
 * pi/2 in four pieces (three of 30 bits, so n * piece is exact); r = j/64 + t with sin(j/64)
 * and cos(j/64) from a table built once in BigInt, and sin t, cos t by their series.
 * If |r| < 2^-26 after a cancellation the reduction's own error could matter: the slow path
 * decides those (about one argument in 2^26).
 */

let tables:
  | { sinHigh: Float64Array; sinLow: Float64Array; cosHigh: Float64Array; cosLow: Float64Array }
  | undefined;
// pi/2 = piece1 + piece2 + piece3 + piece4 (+ less than 2^-140).
let piece1 = 0;
let piece2 = 0;
let piece3 = 0;
let piece4 = 0;
const tableSteps = 52; // j/64 for j = 0..51 covers [0, pi/4 + 1/128]

function buildTables(): void {
  const bits = 200;
  const sinHigh = new Float64Array(tableSteps);
  const sinLow = new Float64Array(tableSteps);
  const cosHigh = new Float64Array(tableSteps);
  const cosLow = new Float64Array(tableSteps);
  for (let j = 0; j < tableSteps; j++) {
    const [sine, cosine] = sinCosFixed(BigInt(j) << BigInt(bits - 6), bits);
    [sinHigh[j], sinLow[j]] = fixedToDoubleDouble(sine, bits);
    [cosHigh[j], cosLow[j]] = fixedToDoubleDouble(cosine, bits);
  }
  // Pieces of pi/2: 30 bits, 30 bits, 30 bits, then the nearest double to the rest.
  const halfPi = piFixed(bits) >> 1n; // pi/2 * 2^bits
  const shift = BigInt(bits);
  const top1 = halfPi >> (shift - 29n); // pi/2 to 30 bits (1 integer bit)
  piece1 = Number(top1) * 2 ** -29;
  let rest = halfPi - (top1 << (shift - 29n));
  const top2 = rest >> (shift - 59n);
  piece2 = Number(top2) * 2 ** -59;
  rest -= top2 << (shift - 59n);
  const top3 = rest >> (shift - 89n);
  piece3 = Number(top3) * 2 ** -89;
  rest -= top3 << (shift - 89n);
  piece4 = fixedToDoubleDouble(rest, bits)[0];
  tables = { sinHigh, sinLow, cosHigh, cosLow };
}

// 1/n! for n = 0..16; the first terms' low parts are added where double-double matters.
const inverseFactorials: number[] = [];
for (let n = 0, factorial = 1; n <= 16; n++) {
  if (n > 0) factorial *= n;
  inverseFactorials.push(1 / factorial);
}
const oneSixthLow = inverseLowPart(6);
const oneTwentyFourthLow = inverseLowPart(24);
const oneHundredTwentiethLow = inverseLowPart(120);

let sinHighResult = 0;
let sinLowResult = 0;
let cosHighResult = 0;
let cosLowResult = 0;

/** sin and cos of r = rHigh + rLow, 0 <= r <= pi/4 + 2^-20, into the result registers. */
function sinCosReduced(rHigh: number, rLow: number): void {
  const t0 = tables!;
  const j = Math.round(rHigh * 64);
  twoSum(rHigh, -j / 64); // exact: j/64 has few bits and is close to rHigh
  const tHigh0 = ddHigh;
  const tLow0 = ddLow + rLow;
  const tHigh = tHigh0 + tLow0;
  const tLow = tLow0 - (tHigh - tHigh0);
  // |t| <= 1/128 + tiny. u = t^2 as a double-double.
  ddMultiply(tHigh, tLow, tHigh, tLow);
  const uHigh = ddHigh;
  const uLow = ddLow;
  // sin t = t + t*u*(-1/6 + u*(1/120 + u*S(u))), S by doubles (below 2^-12 of its sum).
  const s =
    -inverseFactorials[7]! +
    uHigh *
      (inverseFactorials[9]! -
        uHigh * inverseFactorials[11]! +
        uHigh * uHigh * inverseFactorials[13]!);
  ddMultiply(uHigh, uLow, s, 0);
  ddAdd(ddHigh, ddLow, 1 / 120, oneHundredTwentiethLow);
  ddMultiply(ddHigh, ddLow, uHigh, uLow);
  ddAdd(ddHigh, ddLow, -1 / 6, -oneSixthLow);
  ddMultiply(ddHigh, ddLow, uHigh, uLow);
  ddMultiply(ddHigh, ddLow, tHigh, tLow);
  ddAdd(ddHigh, ddLow, tHigh, tLow);
  const sinTHigh = ddHigh;
  const sinTLow = ddLow;
  // cos t = 1 - u/2 + u^2*(1/24 + u*C(u)).
  const c =
    -inverseFactorials[6]! +
    uHigh *
      (inverseFactorials[8]! +
        uHigh *
          (-inverseFactorials[10]! +
            uHigh * inverseFactorials[12]! -
            uHigh * uHigh * inverseFactorials[14]!));
  ddMultiply(uHigh, uLow, c, 0);
  ddAdd(ddHigh, ddLow, 1 / 24, oneTwentyFourthLow);
  ddMultiply(ddHigh, ddLow, uHigh, uLow);
  ddMultiply(ddHigh, ddLow, uHigh, uLow);
  ddAdd(ddHigh, ddLow, -0.5 * uHigh, -0.5 * uLow);
  ddAdd(ddHigh, ddLow, 1, 0);
  const cosTHigh = ddHigh;
  const cosTLow = ddLow;
  if (j === 0) {
    sinHighResult = sinTHigh;
    sinLowResult = sinTLow;
    cosHighResult = cosTHigh;
    cosLowResult = cosTLow;
    return;
  }
  const sinJHigh = t0.sinHigh[j]!;
  const sinJLow = t0.sinLow[j]!;
  const cosJHigh = t0.cosHigh[j]!;
  const cosJLow = t0.cosLow[j]!;
  // sin(a + t) = sin a cos t + cos a sin t; cos(a + t) = cos a cos t - sin a sin t.
  ddMultiply(sinJHigh, sinJLow, cosTHigh, cosTLow);
  const p1High = ddHigh;
  const p1Low = ddLow;
  ddMultiply(cosJHigh, cosJLow, sinTHigh, sinTLow);
  ddAdd(p1High, p1Low, ddHigh, ddLow);
  sinHighResult = ddHigh;
  sinLowResult = ddLow;
  ddMultiply(cosJHigh, cosJLow, cosTHigh, cosTLow);
  const p2High = ddHigh;
  const p2Low = ddLow;
  ddMultiply(sinJHigh, sinJLow, sinTHigh, sinTLow);
  ddAdd(p2High, p2Low, -ddHigh, -ddLow);
  cosHighResult = ddHigh;
  cosLowResult = ddLow;
}

const fastLimit = 1048576; // 2^20
const twoOverPi = 2 / Math.PI;

/** sin(x) (wantCosine false) or cos(x), fast path; NaN when it cannot decide. */
function sinCosFast(x: number, wantCosine: boolean): number {
  if (tables === undefined) buildTables();
  const n = Math.round(x * twoOverPi);
  let rHigh = x;
  let rLow = 0;
  if (n !== 0) {
    const a = x - n * piece1; // exact
    twoSum(a, -n * piece2);
    let high = ddHigh;
    let low = ddLow;
    ddAdd(high, low, -n * piece3, 0);
    high = ddHigh;
    low = ddLow;
    twoProduct(n, piece4);
    ddAdd(high, low, -ddHigh, -ddLow);
    rHigh = ddHigh;
    rLow = ddLow;
    if (Math.abs(rHigh) < 2 ** -26) return Number.NaN;
  }
  const negative = rHigh < 0;
  if (negative) {
    rHigh = -rHigh;
    rLow = -rLow;
  }
  sinCosReduced(rHigh, rLow);
  const sinHigh = negative ? -sinHighResult : sinHighResult;
  const sinLow = negative ? -sinLowResult : sinLowResult;
  // Quadrant of x: sin(x) = [sin r, cos r, -sin r, -cos r][n mod 4], cos(x) = the next one.
  const quadrant = ((((n % 4) + 4) % 4) + (wantCosine ? 1 : 0)) % 4;
  switch (quadrant) {
    case 0:
      return roundIfDecided(sinHigh, sinLow, 2 ** -80);
    case 1:
      return roundIfDecided(cosHighResult, cosLowResult, 2 ** -80);
    case 2:
      return roundIfDecided(-sinHigh, -sinLow, 2 ** -80);
    default:
      return roundIfDecided(-cosHighResult, -cosLowResult, 2 ** -80);
  }
}

const reductionCache = new Map<number, { twoOverPiFixed: bigint; halfPiFixed: bigint }>();

/** 2/pi * 2^guard and pi/2 * 2^bits, computed once per precision. */
function reductionConstants(bits: number, guard: number) {
  let constants = reductionCache.get(bits);
  if (constants === undefined) {
    constants = {
      twoOverPiFixed: (1n << BigInt(2 * guard + 65)) / piFixed(guard + 64),
      halfPiFixed: piFixed(bits + 64) >> 65n,
    };
    reductionCache.set(bits, constants);
  }
  return constants;
}

/** sin(x) or cos(x) in BigInt: Payne-Hanek reduction, then Taylor series, precision raised until certain. */
function sinCosSlow(x: number, wantCosine: boolean): number {
  const high = highWord(x);
  const biasedExponent = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0x000fffff) << 32n) | BigInt(lowWord(x));
  // |x| = mantissa * 2^exponent exactly.
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  const negative = x < 0;
  for (let bits = 160; ; bits *= 2) {
    const guard = bits + 1200; // bits of 2/pi: covers 2^971 * 2^53 with room to spare
    const { twoOverPiFixed, halfPiFixed } = reductionConstants(bits, guard);
    const shift = BigInt(guard - exponent - bits);
    let scaled = (mantissa * twoOverPiFixed) >> shift; // |x| * 2/pi * 2^bits
    const one = 1n << BigInt(bits);
    let quadrant = Number((scaled >> BigInt(bits)) & 3n);
    scaled &= one - 1n;
    if (scaled >= one >> 1n) {
      scaled -= one;
      quadrant += 1;
    }
    const reduced = (scaled * halfPiFixed) >> BigInt(bits); // r * 2^bits
    const [sine, cosine] = sinCosFixed(reduced, bits);
    // sin|x| and cos|x| by quadrant; then sin is odd, cos even.
    const index = (quadrant + (wantCosine ? 1 : 0)) & 3;
    let value = index === 0 ? sine : index === 1 ? cosine : index === 2 ? -sine : -cosine;
    if (negative && !wantCosine) value = -value;
    const rounded = roundFixed(value, bits, BigInt(8 * bits));
    if (!Number.isNaN(rounded)) return rounded;
  }
}

/**
 * Sine of a double, correctly rounded (to nearest, ties to even) for every input, with an exact
 * argument reduction for huge arguments. sin(+-0) = +-0, sin(+-Infinity) = NaN, sin(NaN) = NaN.
 *
 * This is the exact sine, rounded once: it is NOT always glibc's `sin` (glibc's differs on about
 * 0.14% of inputs 2*pi*u, measured); use `glibcSin` to reproduce CPython.
 *
 * @example
 * correctlyRoundedSin(Math.PI); // 1.2246467991473532e-16
 */
export function correctlyRoundedSin(x: number): number {
  const absolute = Math.abs(x);
  if (absolute < 2 ** -26) return x; // sin x = x - x^3/6 rounds to x (and keeps -0)
  if (!(absolute < Number.POSITIVE_INFINITY)) return Number.NaN;
  if (absolute < fastLimit) {
    const fast = sinCosFast(x, false);
    if (!Number.isNaN(fast)) return fast;
  }
  return sinCosSlow(x, false);
}

/**
 * Cosine of a double, correctly rounded (to nearest, ties to even) for every input, with an exact
 * argument reduction for huge arguments. cos(+-0) = 1, cos(+-Infinity) = NaN, cos(NaN) = NaN.
 *
 * This is the exact cosine, rounded once: it is NOT always glibc's `cos` (glibc's differs on about
 * 0.14% of inputs 2*pi*u, measured); use `glibcCos` to reproduce CPython.
 *
 * @example
 * correctlyRoundedCos(Math.PI / 2); // 6.123233995736766e-17
 */
export function correctlyRoundedCos(x: number): number {
  const absolute = Math.abs(x);
  if (absolute < 2 ** -27) return 1; // cos x = 1 - x^2/2 rounds to 1
  if (!(absolute < Number.POSITIVE_INFINITY)) return Number.NaN;
  if (absolute < fastLimit) {
    const fast = sinCosFast(x, true);
    if (!Number.isNaN(fast)) return fast;
  }
  return sinCosSlow(x, true);
}
