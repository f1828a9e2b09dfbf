import { fromWords, highWord, lowWord } from './float-bits.js';

/*
 * An exact fused multiply-add for JavaScript, which has none. glibc's x86-64 math functions run
 * FMA-compiled variants on every CPU with FMA and AVX2, so reproducing them bit for bit needs
 * a*b+c with one rounding. Method (Boldo and Melquiond, "Emulation of FMA and correctly rounded
 * sums: proved algorithms using rounding to odd", IEEE TC 2008):
 *   ph + pl = a*b exactly (Veltkamp split and Dekker's product),
 *   sh + sl = ph + c exactly (Knuth's two-sum),
 *   v = sl + pl rounded to odd,
 *   result = sh + v rounded to nearest.
 * Exact as long as no step overflows or underflows into subnormals (|a*b| and |c| between about
 * 2^-960 and 2^995); every caller in this folder stays far inside that range.
 */

const splitter = 134217729; // 2^27 + 1

/** Rounds a + b (exactly representable as two doubles) to odd: the odd neighbour when inexact. */
function sumRoundedToOdd(a: number, b: number): number {
  const sum = a + b;
  const bVirtual = sum - a;
  const error = a - (sum - bVirtual) + (b - bVirtual);
  if (error === 0) return sum;
  const low = lowWord(sum);
  if ((low & 1) === 1) return sum;
  // sum is even and inexact: step one unit towards the exact value, which lands on an odd one.
  const high = highWord(sum);
  const awayFromZero = error > 0 === sum > 0;
  if (awayFromZero) return fromWords(high, low + 1);
  return low === 0 ? fromWords(high - 1, 0xffffffff) : fromWords(high, low - 1);
}

/**
 * a * b + c with a single rounding to nearest, like C's `fma`.
 *
 * @example
 * fusedMultiplyAdd(1 + 2 ** -30, 1 - 2 ** -30, -1); // -(2 ** -60), where a * b - 1 gives 0
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const product = a * b;
  if (product === 0 || c === 0 || !Number.isFinite(product) || !Number.isFinite(c)) {
    return product + c;
  }
  // Dekker's exact product: product + productError === a * b.
  let t = splitter * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = splitter * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  const productError = aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
  // Two-sum: sumHigh + sumLow === product + c.
  const sumHigh = product + c;
  const virtualC = sumHigh - product;
  const sumLow = product - (sumHigh - virtualC) + (c - virtualC);
  return sumHigh + sumRoundedToOdd(sumLow, productError);
}
