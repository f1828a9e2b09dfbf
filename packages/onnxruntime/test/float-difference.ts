/**
 * How far apart two float32 arrays are: how many elements differ in their bits, the largest
 * absolute difference, and the largest distance in units in the last place (adjacent float32
 * values are 1 apart; +0 and -0 are 0 apart).
 */
export interface FloatDifference {
  readonly count: number;
  readonly differingBits: number;
  readonly maxAbsolute: number;
  readonly maxUlps: number;
}

/** float32 bits mapped to integers that are ordered like the floats (for ULP distances). */
function orderedBits(bits: number): number {
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

export function floatDifference(actual: Float32Array, expected: Float32Array): FloatDifference {
  if (actual.length !== expected.length) {
    throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  }
  const actualBits = new Int32Array(actual.buffer, actual.byteOffset, actual.length);
  const expectedBits = new Int32Array(expected.buffer, expected.byteOffset, expected.length);
  let differingBits = 0;
  let maxAbsolute = 0;
  let maxUlps = 0;
  for (let index = 0; index < actual.length; index++) {
    if (actualBits[index] === expectedBits[index]) continue;
    differingBits++;
    maxAbsolute = Math.max(maxAbsolute, Math.abs(actual[index]! - expected[index]!));
    maxUlps = Math.max(
      maxUlps,
      Math.abs(orderedBits(actualBits[index]!) - orderedBits(expectedBits[index]!)),
    );
  }
  return { count: actual.length, differingBits, maxAbsolute, maxUlps };
}
