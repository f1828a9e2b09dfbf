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

/** The odd neighbour of an even, inexactly rounded sum, on the side of its rounding error. */
function stepToOdd(sum: number, error: number): number {
  const high = highWord(sum);
  const low = lowWord(sum);
  if (error > 0 === sum > 0) return fromWords(high, low + 1); // low is even: no carry
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
  // Two-sum again, then round to odd: tail is sumLow + productError rounded to odd.
  let tail = sumLow + productError;
  const virtualError = tail - sumLow;
  const tailError = sumLow - (tail - virtualError) + (productError - virtualError);
  if (tailError !== 0 && (lowWord(tail) & 1) === 0) tail = stepToOdd(tail, tailError);
  const result = sumHigh + tail;
  // Infinite or NaN operands or products: the plain expression gives IEEE's answer.
  return result - result === 0 ? result : product + c;
}
