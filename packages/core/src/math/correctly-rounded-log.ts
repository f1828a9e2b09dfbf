import { fixedToDoubleDouble, ln2Fixed, logFixed, roundFixed } from './big-fixed-point.js';
import {
  ddAdd,
  ddHigh,
  ddLow,
  ddMultiply,
  inverseLowPart,
  roundIfDecided,
  twoProduct,
} from './double-double.js';
import { fromWords, highWord, lowWord } from './float-bits.js';

/*
 * Correctly rounded natural logarithm (round to nearest, ties to even), CORE-MATH style:
 * a double-double evaluation with a proven error below 2^-95 relative, whose rounding is
 * checked against a 2^-80 bound (far wider than the error, so the check is safe); only when
 * that bound straddles a rounding boundary (about once in 2^27 inputs) does a BigInt evaluation
 * with 160 or more bits decide.
 *
 * Fast path: x = 2^e * m, m in [sqrt(1/2), sqrt(2)); c = 1 + i/128 nearest to m; then
 * log x = e*ln2 + log(c) + log1p(r) with r = (m - c)/c, |r| < 2^-7.4, log(c) from a table built
 * once in BigInt, log1p(r) by its series (double-double up to r^9, doubles after).
 */

const tableLowest = -38;
const tableHighest = 53;
let logTableHigh: Float64Array | undefined;
let logTableLow: Float64Array | undefined;
let ln2High = 0;
let ln2Low = 0;
// -(-1)^n / n for n = 2..9 as double-doubles, index n - 2.
const seriesHigh = new Float64Array(8);
const seriesLow = new Float64Array(8);

function buildTables(): void {
  const bits = 200;
  const high = new Float64Array(tableHighest - tableLowest + 1);
  const low = new Float64Array(tableHighest - tableLowest + 1);
  for (let i = tableLowest; i <= tableHighest; i++) {
    const center = BigInt(128 + i) << 45n; // (1 + i/128) * 2^52
    const [h, l] = fixedToDoubleDouble(logFixed(center, bits), bits);
    high[i - tableLowest] = h;
    low[i - tableLowest] = l;
  }
  [ln2High, ln2Low] = fixedToDoubleDouble(ln2Fixed(bits), bits);
  for (let n = 2; n <= 9; n++) {
    const sign = n % 2 === 0 ? -1 : 1;
    seriesHigh[n - 2] = sign / n;
    seriesLow[n - 2] = sign * inverseLowPart(n);
  }
  logTableHigh = high;
  logTableLow = low;
}

const sqrtHalfHighWord = 0x3fe6a09e; // m above sqrt(2)/2's top word moves to the next binade

/** Decides log(x) with BigInt arithmetic, raising the precision until the rounding is certain. */
function logSlow(mantissa: bigint, exponent: number): number {
  for (let bits = 160; ; bits *= 2) {
    const value = BigInt(exponent) * ln2Fixed(bits) + logFixed(mantissa, bits);
    const error = BigInt(4 * bits * (Math.abs(exponent) + 1));
    const rounded = roundFixed(value, bits, error);
    if (!Number.isNaN(rounded)) return rounded;
  }
}

/**
 * Natural logarithm of a double, correctly rounded (to nearest, ties to even) for every input,
 * with IEEE special cases: log(+-0) = -Infinity, log(x < 0) = NaN, log(+Infinity) = +Infinity,
 * log(NaN) = NaN, log(1) = +0.
 *
 * This is the exact logarithm, rounded once: it is NOT always glibc's `log` (glibc's differs on
 * 0.086% of inputs k*2^-53 in (0, 1), measured); use `glibcLog` to reproduce CPython or NumPy.
 *
 * @example
 * correctlyRoundedLog(0.7111917696952796); // -0.3408131672688638 (glibc's log: -0.34081316726886374)
 */
export function correctlyRoundedLog(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) {
    if (x === 0) return Number.NEGATIVE_INFINITY;
    return x === Number.POSITIVE_INFINITY ? x : Number.NaN;
  }
  if (logTableHigh === undefined) buildTables();
  let high = highWord(x);
  const low = lowWord(x);
  let exponent = (high >>> 20) - 1023;
  if (exponent === -1023) {
    // Subnormal: normalise with an exact scaling.
    const scaled = x * 2 ** 64;
    high = highWord(scaled);
    exponent = (high >>> 20) - 1023 - 64;
    return logOfParts(high, lowWord(scaled), exponent);
  }
  return logOfParts(high, low, exponent);
}

function logOfParts(highBits: number, lowBits: number, binaryExponent: number): number {
  let exponent = binaryExponent;
  let mantissaHigh = (highBits & 0x000fffff) | 0x3ff00000;
  if (mantissaHigh > sqrtHalfHighWord + 0x100000) {
    // m in [sqrt(2), 2): use m/2 and one more power of two.
    mantissaHigh -= 0x100000;
    exponent += 1;
  }
  const m = fromWords(mantissaHigh, lowBits);
  const index = Math.round((m - 1) * 128);
  const center = 1 + index / 128;
  const difference = m - center; // exact (Sterbenz)
  // r = difference / center as a double-double.
  const rHigh = difference / center;
  twoProduct(rHigh, center);
  const rLow = (difference - ddHigh - ddLow) / center;

  // log1p(r) = r + r^2 * P(r), P(r) = -1/2 + r/3 - r^2/4 + ...
  let tail = -1 / 16;
  for (let n = 15; n >= 10; n--) tail = (n % 2 === 0 ? -1 / n : 1 / n) + rHigh * tail;
  let pHigh = tail;
  let pLow = 0;
  for (let n = 9; n >= 2; n--) {
    ddMultiply(pHigh, pLow, rHigh, rLow);
    ddAdd(ddHigh, ddLow, seriesHigh[n - 2]!, seriesLow[n - 2]!);
    pHigh = ddHigh;
    pLow = ddLow;
  }
  ddMultiply(rHigh, rLow, rHigh, rLow);
  ddMultiply(ddHigh, ddLow, pHigh, pLow);
  ddAdd(ddHigh, ddLow, rHigh, rLow);
  let sumHigh = ddHigh;
  let sumLow = ddLow;
  const tableIndex = index - tableLowest;
  ddAdd(sumHigh, sumLow, logTableHigh![tableIndex]!, logTableLow![tableIndex]!);
  sumHigh = ddHigh;
  sumLow = ddLow;
  if (exponent !== 0) {
    twoProduct(exponent, ln2High);
    const productHigh = ddHigh;
    const productLow = ddLow + exponent * ln2Low;
    ddAdd(sumHigh, sumLow, productHigh, productLow);
    sumHigh = ddHigh;
    sumLow = ddLow;
  }
  const rounded = roundIfDecided(sumHigh, sumLow, 2 ** -80);
  if (!Number.isNaN(rounded)) return rounded;
  // m0 = 1.f in [1, 2) as an integer over 2^52, with the unadjusted exponent.
  const mantissa = (BigInt((highBits & 0x000fffff) | 0x00100000) << 32n) | BigInt(lowBits);
  return logSlow(mantissa, binaryExponent);
}
