/*
 * Exact-enough slow paths in BigInt fixed point: a value v is held as the integer V ~ v * 2^F.
 * Used to build the double-double tables once and, in the rare cases where a double-double result
 * lies too close to a rounding boundary, to decide the rounding (Ziv's strategy: evaluate with a
 * known error bound, and if the bound straddles a boundary, evaluate again with more bits).
 */

let piCache = { bits: 0, value: 0n };

/** atan(1/n) * 2^bits, with an error of a few units. */
function arctangentOfInverse(n: bigint, bits: number): bigint {
  let power = (1n << BigInt(bits)) / n;
  const nSquared = n * n;
  let sum = 0n;
  for (let k = 1n, positive = true; power !== 0n; k += 2n, positive = !positive) {
    sum += positive ? power / k : -(power / k);
    power /= nSquared;
  }
  return sum;
}

/** pi * 2^bits, correct to within a unit (Machin's formula, 32 guard bits). */
export function piFixed(bits: number): bigint {
  if (piCache.bits < bits) {
    const working = bits + 32;
    const value = 16n * arctangentOfInverse(5n, working) - 4n * arctangentOfInverse(239n, working);
    piCache = { bits: working, value };
  }
  return piCache.value >> BigInt(piCache.bits - bits);
}

/**
 * log(m / 2^52) * 2^bits for an integer 0 < m, by the series 2 * atanh((m - 2^52)/(m + 2^52)),
 * with an error below 2 * bits units (fast when m / 2^52 is near 1).
 */
export function logFixed(m: bigint, bits: number): bigint {
  const one = 1n << 52n;
  const shift = BigInt(bits);
  const unit = 1n << shift;
  const s = ((m - one) << shift) / (m + one);
  const sSquared = (s * s) >> shift;
  let term = s;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k;
    term = (term * sSquared) / unit; // truncates towards zero, so negative terms reach 0 too
  }
  return 2n * sum;
}

/** ln 2 * 2^bits, error below 2 * bits units. */
export function ln2Fixed(bits: number): bigint {
  return logFixed(2n << 52n, bits);
}

/**
 * [sin r, cos r] * 2^bits for r = reduced * 2^-bits, |r| <= 1, by their Taylor series; error
 * below 2 * bits units each.
 */
export function sinCosFixed(reduced: bigint, bits: number): [bigint, bigint] {
  const shift = BigInt(bits);
  const squared = (reduced * reduced) >> shift;
  let sine = 0n;
  let term = reduced;
  for (let k = 1n; term !== 0n; k += 2n) {
    sine += term;
    term = -((term * squared) >> shift) / ((k + 1n) * (k + 2n));
  }
  let cosine = 0n;
  term = 1n << shift;
  for (let k = 0n; term !== 0n; k += 2n) {
    cosine += term;
    term = -((term * squared) >> shift) / ((k + 1n) * (k + 2n));
  }
  return [sine, cosine];
}

/** value * 2^-bits for an integral double value (exact while the result is a normal double). */
function scaleDown(value: number, bits: number): number {
  let result = value;
  let remaining = bits;
  while (remaining > 1000) {
    result *= 2 ** -1000;
    remaining -= 1000;
  }
  return result * 2 ** -remaining;
}

/**
 * The double nearest to v, for v known to lie within `error` units of `value * 2^-bits`, if that
 * whole interval rounds to one double; otherwise NaN. `Number(bigint)` rounds to nearest, ties to
 * even, so rounding the two ends is exact. Results must be normal doubles (callers' are).
 */
export function roundFixed(value: bigint, bits: number, error: bigint): number {
  const below = Number(value - error);
  const above = Number(value + error);
  return below === above ? scaleDown(below, bits) : Number.NaN;
}

/** value * 2^-bits as a double-double (hi, lo): [nearest double, nearest double to the rest]. */
export function fixedToDoubleDouble(value: bigint, bits: number): [number, number] {
  const high = Number(value);
  const rest = value - BigInt(high);
  return [scaleDown(high, bits), scaleDown(Number(rest), bits)];
}
