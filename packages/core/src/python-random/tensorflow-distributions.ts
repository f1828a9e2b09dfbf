import { cos, log, logf, sin, sincosf } from './libm.js';
import type { PhiloxRandom } from './philox.js';

/**
 * TensorFlow's CPU fills for its stateful random ops (`random_op_cpu.h`,
 * `random_distributions.h`): how Philox words become float32 / float64 / integer elements, and
 * in which order they land in the flat (row-major) output.
 *
 * An op's output is split into groups of `kResultElementCount` elements. For the fixed-count
 * distributions (uniform, normal, uniform int) group g is made from the g-th Philox block after
 * the kernel's base counter, so the output is simply the blocks in order: float32 uses 4
 * elements per block, float64 and int64 2. Truncated normal draws a variable number of words:
 * group g (4 float32 or 2 float64 elements) starts 256 elements' worth of blocks after group
 * g-1 (`kReservedSamplesPerOutput`), i.e. at block g * 256 (float32) or g * 128 (float64), and
 * takes words one at a time from there (`SingleSampleAdapter`) until its group is full.
 */

const FLOAT_VIEW = new DataView(new ArrayBuffer(8));
const EPSILON_F32 = Math.fround(1.0e-7);

/**
 * `Uint32ToFloat`: 23 random mantissa bits under exponent 127 make a float in [1, 2); minus 1
 * gives [0, 1) in steps of 2^-23.
 */
export function uint32ToFloat(x: number): number {
  return (x & 0x7fffff) / 8388608; // exact: (1 + m / 2^23) - 1
}

/** `Uint64ToDouble`: 20 bits of x0 and 32 of x1 as the mantissa of a double in [1, 2), minus 1. */
export function uint64ToDouble(x0: number, x1: number): number {
  FLOAT_VIEW.setUint32(0, (0x3ff00000 | (x0 & 0xfffff)) >>> 0);
  FLOAT_VIEW.setUint32(4, x1 >>> 0);
  return FLOAT_VIEW.getFloat64(0) - 1;
}

/**
 * `BoxMullerFloat`: two float32 normals from two words, in float32 arithmetic except
 * `2.0f * M_PI * u`, which C computes in double (M_PI is a double) before storing a float.
 */
export function boxMullerFloat(x0: number, x1: number): [number, number] {
  let u1 = uint32ToFloat(x0);
  if (u1 < EPSILON_F32) u1 = EPSILON_F32;
  const v1 = Math.fround(2 * Math.PI * uint32ToFloat(x1));
  const u2 = Math.fround(Math.sqrt(Math.fround(-2 * logf(u1))));
  const [s, c] = sincosf(v1);
  return [Math.fround(s * u2), Math.fround(c * u2)];
}

/** `BoxMullerDouble`: two float64 normals from four words. */
export function boxMullerDouble(x0: number, x1: number, x2: number, x3: number): [number, number] {
  let u1 = uint64ToDouble(x0, x1);
  if (u1 < 1.0e-7) u1 = 1.0e-7;
  const v1 = 2 * Math.PI * uint64ToDouble(x2, x3);
  const u2 = Math.sqrt(-2 * log(u1));
  return [sin(v1) * u2, cos(v1) * u2];
}

/** The element kinds the stateful ops fill. */
export type PhiloxDistribution =
  | { kind: 'uniform'; dtype: 'float32' | 'float64' }
  | { kind: 'normal'; dtype: 'float32' | 'float64' }
  | { kind: 'truncated-normal'; dtype: 'float32' | 'float64' }
  | { kind: 'uniform-int32'; low: number; range: number }
  | { kind: 'uniform-int64'; low: bigint; range: bigint };

/**
 * Fills `size` elements from `base` (which is not advanced: TensorFlow hands the fill a copy).
 * Returns the raw elements (before the Python-side scaling of `tf.random.*`).
 */
export function fillPhilox(
  base: PhiloxRandom,
  distribution: PhiloxDistribution,
  size: number,
): Float32Array | Float64Array | Int32Array | BigInt64Array {
  switch (distribution.kind) {
    case 'uniform':
      return distribution.dtype === 'float32'
        ? fillUniformFloat(base, size)
        : fillUniformDouble(base, size);
    case 'normal':
      return distribution.dtype === 'float32'
        ? fillNormalFloat(base, size)
        : fillNormalDouble(base, size);
    case 'truncated-normal':
      return fillTruncatedNormal(base, size, distribution.dtype);
    case 'uniform-int32':
      return fillUniformInt32(base, size, distribution.low, distribution.range);
    case 'uniform-int64':
      return fillUniformInt64(base, size, distribution.low, distribution.range);
  }
}

function fillUniformFloat(base: PhiloxRandom, size: number): Float32Array {
  const gen = base.clone();
  const out = new Float32Array(size);
  for (let offset = 0; offset < size; offset += 4) {
    const block = gen.next();
    for (let i = 0; i < 4 && offset + i < size; i++) out[offset + i] = uint32ToFloat(block[i]!);
  }
  return out;
}

function fillUniformDouble(base: PhiloxRandom, size: number): Float64Array {
  const gen = base.clone();
  const out = new Float64Array(size);
  for (let offset = 0; offset < size; offset += 2) {
    const block = gen.next();
    out[offset] = uint64ToDouble(block[0], block[1]);
    if (offset + 1 < size) out[offset + 1] = uint64ToDouble(block[2], block[3]);
  }
  return out;
}

function fillNormalFloat(base: PhiloxRandom, size: number): Float32Array {
  const gen = base.clone();
  const out = new Float32Array(size);
  for (let offset = 0; offset < size; offset += 4) {
    const block = gen.next();
    const [a, b] = boxMullerFloat(block[0], block[1]);
    const [c, d] = boxMullerFloat(block[2], block[3]);
    const group = [a, b, c, d];
    for (let i = 0; i < 4 && offset + i < size; i++) out[offset + i] = group[i]!;
  }
  return out;
}

function fillNormalDouble(base: PhiloxRandom, size: number): Float64Array {
  const gen = base.clone();
  const out = new Float64Array(size);
  for (let offset = 0; offset < size; offset += 2) {
    const block = gen.next();
    const [a, b] = boxMullerDouble(block[0], block[1], block[2], block[3]);
    out[offset] = a;
    if (offset + 1 < size) out[offset + 1] = b;
  }
  return out;
}

function fillTruncatedNormal(
  base: PhiloxRandom,
  size: number,
  dtype: 'float32' | 'float64',
): Float32Array | Float64Array {
  const groupSize = dtype === 'float32' ? 4 : 2;
  // kGroupSize * kReservedSamplesPerOutput / PhiloxRandom::kResultElementCount
  const blocksPerGroup = (groupSize * 256) / 4;
  const out = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  for (let group = 0; group * groupSize < size; group++) {
    const gen = base.clone();
    gen.skip(group * blocksPerGroup);
    // SingleSampleAdapter: words one at a time, a new block when the last one is used up.
    let block: number[] = [];
    let used = 4;
    const word = (): number => {
      if (used === 4) {
        block = gen.next();
        used = 0;
      }
      return block[used++]!;
    };
    const offset = group * groupSize;
    const wanted = Math.min(groupSize, size - offset);
    let filled = 0;
    // The distribution fills its whole group even when fewer elements are stored.
    while (filled < groupSize) {
      const [a, b] =
        dtype === 'float32'
          ? boxMullerFloat(word(), word())
          : boxMullerDouble(word(), word(), word(), word());
      if (Math.abs(a) < 2) {
        if (filled < wanted) out[offset + filled] = a;
        filled++;
        if (filled >= groupSize) break;
      }
      if (Math.abs(b) < 2) {
        if (filled < wanted) out[offset + filled] = b;
        filled++;
      }
    }
  }
  return out;
}

function fillUniformInt32(
  base: PhiloxRandom,
  size: number,
  low: number,
  range: number,
): Int32Array {
  const gen = base.clone();
  const out = new Int32Array(size);
  for (let offset = 0; offset < size; offset += 4) {
    const block = gen.next();
    // SignedAdd(lo, sample % range): the sum is in range, so int32 wrapping is exact.
    for (let i = 0; i < 4 && offset + i < size; i++) out[offset + i] = low + (block[i]! % range);
  }
  return out;
}

function fillUniformInt64(
  base: PhiloxRandom,
  size: number,
  low: bigint,
  range: bigint,
): BigInt64Array {
  const gen = base.clone();
  const out = new BigInt64Array(size);
  for (let offset = 0; offset < size; offset += 2) {
    const block = gen.next();
    for (let i = 0; i < 2 && offset + i < size; i++) {
      const bits = (BigInt(block[2 * i + 1]!) << 32n) | BigInt(block[2 * i]!);
      out[offset + i] = BigInt.asIntN(64, low + (bits % range));
    }
  }
  return out;
}
