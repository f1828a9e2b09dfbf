/**
 * Exact widening conversions to float32, used to load F16/BF16/F64 checkpoints into tfjs'
 * float32 variables (`cast: true`) and to dequantize float16 tfjs artifacts.
 */

/**
 * float32 bit pattern of an IEEE half (exact: every half is a float32). NaN payloads are
 * kept, as tfjs' own float16 decoder keeps them.
 *
 * @example
 * new Float32Array(new Uint32Array([halfToFloat32Bits(0x3c00)]).buffer)[0]; // 1
 */
export function halfToFloat32Bits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  if (exponent === 0) {
    if (mantissa === 0) return sign >>> 0;
    // Subnormal half: normalise into a float32 exponent.
    let shift = 0;
    let m = mantissa;
    while ((m & 0x400) === 0) {
      m <<= 1;
      shift++;
    }
    return (sign | ((113 - shift) << 23) | ((m & 0x3ff) << 13)) >>> 0;
  }
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
}

/**
 * Decode little-endian F16 bytes into a new Float32Array.
 *
 * @example
 * decodeFloat16(new Uint8Array([0x00, 0x3c])); // Float32Array [1]
 */
export function decodeFloat16(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength >> 1;
  const out = new Uint32Array(count);
  for (let index = 0; index < count; index++) {
    out[index] = halfToFloat32Bits(bytes[2 * index]! | (bytes[2 * index + 1]! << 8));
  }
  return new Float32Array(out.buffer);
}

/**
 * Decode little-endian BF16 bytes into a new Float32Array (exact: bf16 is the top half of a float32).
 *
 * @example
 * decodeBfloat16(new Uint8Array([0x80, 0x3f])); // Float32Array [1]
 */
export function decodeBfloat16(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength >> 1;
  const out = new Uint32Array(count);
  for (let index = 0; index < count; index++) {
    out[index] = ((bytes[2 * index]! | (bytes[2 * index + 1]! << 8)) << 16) >>> 0;
  }
  return new Float32Array(out.buffer);
}

/**
 * Decode little-endian F64 bytes into a new Float32Array, rounding to nearest (not exact).
 *
 * @example
 * decodeFloat64ToFloat32(new Uint8Array(new Float64Array([0.1]).buffer)); // Float32Array [0.1f]
 */
export function decodeFloat64ToFloat32(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength >> 3);
  for (let index = 0; index < out.length; index++) out[index] = view.getFloat64(index * 8, true);
  return out;
}
