/*
 * Double-double arithmetic: a value is hi + lo with |lo| <= ulp(hi)/2, about 106 bits. Results go
 * to the exported `ddHigh` / `ddLow` registers instead of a new object, so the correctly rounded
 * fast paths allocate nothing. Each operation is correct to a relative 2^-104 or better as long as
 * nothing overflows or underflows (all callers here work with magnitudes near 1).
 */

/** High part of the last result. */
export let ddHigh = 0;
/** Low part of the last result. */
export let ddLow = 0;

const splitter = 134217729; // 2^27 + 1

/** a + b exactly, as ddHigh + ddLow (Knuth's two-sum). */
export function twoSum(a: number, b: number): void {
  const sum = a + b;
  const bVirtual = sum - a;
  ddHigh = sum;
  ddLow = a - (sum - bVirtual) + (b - bVirtual);
}

/** a * b exactly, as ddHigh + ddLow (Dekker's product with Veltkamp's split). */
export function twoProduct(a: number, b: number): void {
  const product = a * b;
  let t = splitter * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = splitter * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  ddHigh = product;
  ddLow = aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** (aHigh + aLow) + (bHigh + bLow), accurate even when the two nearly cancel. */
export function ddAdd(aHigh: number, aLow: number, bHigh: number, bLow: number): void {
  twoSum(aHigh, bHigh);
  const sumHigh = ddHigh;
  let sumLow = ddLow;
  twoSum(aLow, bLow);
  const lowHigh = ddHigh;
  const lowLow = ddLow;
  sumLow += lowHigh;
  let high = sumHigh + sumLow;
  sumLow = sumLow - (high - sumHigh) + lowLow;
  const result = high + sumLow;
  ddLow = sumLow - (result - high);
  high = result;
  ddHigh = high;
}

/** (aHigh + aLow) * (bHigh + bLow). */
export function ddMultiply(aHigh: number, aLow: number, bHigh: number, bLow: number): void {
  twoProduct(aHigh, bHigh);
  const productHigh = ddHigh;
  const productLow = ddLow + (aHigh * bLow + aLow * bHigh);
  const high = productHigh + productLow;
  ddLow = productLow - (high - productHigh);
  ddHigh = high;
}

/**
 * The double nearest to hi + lo, if every value within `relativeError * |hi|` of it rounds to that
 * same double; otherwise NaN (the caller then takes its slow, exact path). `relativeError` must be
 * far above 2^-100 so that rounding lo +- the bound cannot itself move the result.
 */
export function roundIfDecided(high: number, low: number, relativeError: number): number {
  const bound = Math.abs(high) * relativeError;
  const below = high + (low - bound);
  const above = high + (low + bound);
  return below === above ? below : Number.NaN;
}

/** The low part of 1/n as a double-double (1/n rounded is the high part), for an integer n. */
export function inverseLowPart(n: number): number {
  twoProduct(1 / n, n);
  return (1 - ddHigh - ddLow) / n;
}
