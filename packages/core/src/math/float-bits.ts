/**
 * Shared scratch views for reading and writing the bits of doubles and floats. One buffer,
 * little-endian like every machine V8 runs on (x86-64, arm64, and wasm hosts), so word 0 of a
 * double is its low 32 bits and word 1 its high 32 bits.
 */
const scratch = new ArrayBuffer(8);
const float64View = new Float64Array(scratch);
const float32View = new Float32Array(scratch);
const uint32View = new Uint32Array(scratch);

/** High 32 bits (sign, exponent, top 20 mantissa bits) of a double. */
export function highWord(value: number): number {
  float64View[0] = value;
  return uint32View[1]!;
}

/** Low 32 bits of a double's mantissa. */
export function lowWord(value: number): number {
  float64View[0] = value;
  return uint32View[0]!;
}

/** The double whose high and low 32-bit words are given (both read as unsigned). */
export function fromWords(high: number, low: number): number {
  uint32View[1] = high;
  uint32View[0] = low;
  return float64View[0]!;
}

/** The 32 bits of a float32 value, as an unsigned integer. */
export function float32Bits(value: number): number {
  float32View[0] = value;
  return uint32View[0]!;
}

/** The float32 value with the given 32 bits. */
export function float32FromBits(bits: number): number {
  uint32View[0] = bits;
  return float32View[0]!;
}

/** Whether the last mantissa bit of a double is 1. */
export function isOddMantissa(value: number): boolean {
  float64View[0] = value;
  return (uint32View[0]! & 1) === 1;
}
