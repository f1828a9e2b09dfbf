/*
 * Bit-exact conversions between float32 and the 16- and 8-bit float formats safetensors
 * stores. Everything works on bit patterns (not JS numbers) so NaN payloads, -0 and
 * subnormals survive; narrowing rounds to nearest, ties to even, like IEEE 754 hardware.
 */

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The float32 bit pattern of `value` (rounded to float32 first). */
export function float32Bits(value: number): number {
  scratchF32[0] = value;
  return scratchU32[0]!;
}

/** The float32 value of a 32-bit pattern. */
export function float32FromBits(bits: number): number {
  scratchU32[0] = bits >>> 0;
  return scratchF32[0]!;
}

/**
 * Float32 bits to IEEE binary16 bits, rounding to nearest even. Overflow gives infinity,
 * underflow gives (signed) zero or a subnormal, NaN stays NaN (quiet, top payload bits kept).
 *
 * @example
 * f32BitsToF16Bits(float32Bits(65504)) === 0x7bff; f32BitsToF16Bits(float32Bits(65520)) === 0x7c00
 */
export function f32BitsToF16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) {
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  }
  if (exponent >= 113) {
    // Normal in half precision (or rounds up into infinity: the carry ripples into the exponent).
    if (exponent > 142) return sign | 0x7c00;
    let half = ((exponent - 112) << 10) | (mantissa >>> 13);
    const rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
    return sign | half;
  }
  // Below 2^-25 even the largest value rounds to zero (2^-25 itself is a tie that goes to even 0).
  if (exponent < 102) return sign;
  const significand = mantissa | 0x800000;
  const shift = 126 - exponent;
  let half = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
  return sign | half;
}

/**
 * IEEE binary16 bits to float32 bits. Exact: every half value is a float32 value.
 *
 * @example
 * float32FromBits(f16BitsToF32Bits(0x3c00)) === 1
 */
export function f16BitsToF32Bits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >>> 10) & 0x1f;
  let mantissa = half & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal half: normalise so the leading 1 becomes the implicit bit of a float32 normal.
  let floatExponent = 113;
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    floatExponent--;
  }
  return (sign | (floatExponent << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}

/**
 * Float32 bits to bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN.
 *
 * @example
 * f32BitsToBf16Bits(float32Bits(1)) === 0x3f80
 */
export function f32BitsToBf16Bits(bits: number): number {
  const value = bits >>> 0;
  if ((value & 0x7f800000) === 0x7f800000 && (value & 0x7fffff) !== 0) {
    return ((value >>> 16) | 0x40) & 0xffff;
  }
  return ((value + 0x7fff + ((value >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits to float32 bits (exact: bfloat16 is the top half of a float32). */
export function bf16BitsToF32Bits(bf16: number): number {
  return ((bf16 & 0xffff) << 16) >>> 0;
}

/**
 * A number rounded to the nearest half-precision value and back, as a JS number.
 *
 * @example
 * f32ToF16(0.1) === 0.0999755859375; f16ToF32(f32ToF16Bits(0.1)) === 0.0999755859375
 */
export function f32ToF16(value: number): number {
  return float32FromBits(f16BitsToF32Bits(f32BitsToF16Bits(float32Bits(value))));
}

/** A number (rounded to float32) as half-precision bits. `f32ToF16Bits(1) === 0x3c00`. */
export function f32ToF16Bits(value: number): number {
  return f32BitsToF16Bits(float32Bits(value));
}

/** Half-precision bits as a number. `f16ToF32(0x7bff) === 65504`. */
export function f16ToF32(half: number): number {
  return float32FromBits(f16BitsToF32Bits(half));
}

/** A number (rounded to float32) as bfloat16 bits. `f32ToBf16Bits(1) === 0x3f80`. */
export function f32ToBf16Bits(value: number): number {
  return f32BitsToBf16Bits(float32Bits(value));
}

/** bfloat16 bits as a number. `bf16ToF32(0x3f80) === 1`. */
export function bf16ToF32(bf16: number): number {
  return float32FromBits(bf16BitsToF32Bits(bf16));
}

/**
 * Decode F16 elements to a Float32Array, keeping NaN payloads.
 *
 * @example
 * float16ToFloat32Array(new Uint16Array([0x3c00, 0xc000])); // Float32Array [1, -2]
 */
export function float16ToFloat32Array(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  const outBits = new Uint32Array(out.buffer);
  for (let index = 0; index < halves.length; index++) {
    outBits[index] = f16BitsToF32Bits(halves[index]!);
  }
  return out;
}

/**
 * Encode float32 values as F16 bits (round to nearest even).
 *
 * @example
 * float32ToFloat16Array(new Float32Array([1, 65520])); // Uint16Array [0x3c00, 0x7c00]
 */
export function float32ToFloat16Array(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    out[index] = f32BitsToF16Bits(bits[index]!);
  }
  return out;
}

/**
 * Decode BF16 elements to a Float32Array (exact).
 *
 * @example
 * bfloat16ToFloat32Array(new Uint16Array([0x3f80])); // Float32Array [1]
 */
export function bfloat16ToFloat32Array(bf16: Uint16Array): Float32Array {
  const out = new Float32Array(bf16.length);
  const outBits = new Uint32Array(out.buffer);
  for (let index = 0; index < bf16.length; index++) outBits[index] = bf16[index]! << 16;
  return out;
}

/**
 * Encode float32 values as BF16 bits (round to nearest even).
 *
 * @example
 * float32ToBfloat16Array(new Float32Array([1])); // Uint16Array [0x3f80]
 */
export function float32ToBfloat16Array(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let index = 0; index < values.length; index++) {
    out[index] = f32BitsToBf16Bits(bits[index]!);
  }
  return out;
}

/**
 * An F8_E4M3 (OCP "E4M3FN": no infinities, 0x7f/0xff are NaN) byte as a number.
 *
 * @example
 * f8e4m3ToF32(0x38) === 1; f8e4m3ToF32(0x7e) === 448
 */
export function f8e4m3ToF32(byte: number): number {
  const sign = byte & 0x80 ? -1 : 1;
  const exponent = (byte >>> 3) & 0xf;
  const mantissa = byte & 0x7;
  if (exponent === 0xf && mantissa === 0x7) return Number.NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * (1 + mantissa / 8) * 2 ** (exponent - 7);
}

/**
 * An F8_E5M2 byte as a number (E5M2 is the top byte of an IEEE half).
 *
 * @example
 * f8e5m2ToF32(0x3c) === 1; f8e5m2ToF32(0x7c) === Infinity
 */
export function f8e5m2ToF32(byte: number): number {
  return f16ToF32((byte & 0xff) << 8);
}
