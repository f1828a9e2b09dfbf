import type { Mt19937 } from './mt19937.js';

/**
 * NumPy's bounded integer draws for the legacy `RandomState` (`distributions.c`,
 * `_bounded_integers.pyx`), which always uses masked rejection: draw, keep the bits under the
 * smallest all-ones mask >= rng, redraw while the value exceeds rng. Results lie in
 * [off, off + rng] (both ends included).
 *
 * Which draws are used depends on the dtype, not only on the range:
 * - 64-bit dtypes with rng <= 2^32 - 1 and the 32-bit dtypes: one 32-bit output per try
 *   (rng == 2^32 - 1 takes the output as it is);
 * - 64-bit dtypes with a larger rng: `next_uint64` = first output << 32 | second output;
 * - 16-bit dtypes: each 32-bit output serves two draws (low half first), 8-bit dtypes four,
 *   `bool` 32 (lowest bit first); the buffer lives for one `randint` call only.
 */

/** Every dtype `RandomState.randint` takes. */
export type NumpyIntegerDtype =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

/** Inclusive bounds of each dtype, as bigints. */
export const DTYPE_BOUNDS: Record<NumpyIntegerDtype, [bigint, bigint]> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 2n ** 64n - 1n],
  bool: [0n, 1n],
};

const TWO_POW_32 = 0x100000000;

/** The smallest all-ones 32-bit mask >= rng (rng in 1..2^32-1). */
function mask32(rng: number): number {
  return 0xffffffff >>> Math.clz32(rng);
}

/**
 * Fills `out` with `off + value` for `value` masked-drawn in [0, rng], rng <= 2^32 - 1, as
 * NumPy's 32- and 64-bit fills do on a 32-bit range. `off` and the results are plain numbers.
 */
export function fillBounded32(
  mt: Mt19937,
  off: number,
  rng: number,
  out: { [index: number]: number; length: number },
): void {
  const count = out.length;
  if (rng === 0) {
    for (let i = 0; i < count; i++) out[i] = off;
  } else if (rng === 0xffffffff) {
    for (let i = 0; i < count; i++) out[i] = off + mt.nextUint32();
  } else {
    const mask = mask32(rng);
    for (let i = 0; i < count; i++) {
      let value: number;
      do value = (mt.nextInt32() & mask) >>> 0;
      while (value > rng);
      out[i] = off + value;
    }
  }
}

/**
 * The buffered 16- and 8-bit fills: each 32-bit output gives `32 / bits` draws, low bits first.
 */
export function fillBoundedSmall(
  mt: Mt19937,
  bits: 8 | 16,
  off: number,
  rng: number,
  out: { [index: number]: number; length: number },
): void {
  const count = out.length;
  const full = bits === 8 ? 0xff : 0xffff;
  const perWord = 32 / bits;
  let buffer = 0;
  let left = 0; // draws left in the buffer after the current one
  const draw = (): number => {
    if (left === 0) {
      buffer = mt.nextUint32();
      left = perWord - 1;
    } else {
      buffer >>>= bits;
      left--;
    }
    return buffer & full;
  };
  if (rng === 0) {
    for (let i = 0; i < count; i++) out[i] = off;
  } else if (rng === full) {
    for (let i = 0; i < count; i++) out[i] = off + draw();
  } else {
    const mask = mask32(rng);
    for (let i = 0; i < count; i++) {
      let value: number;
      do value = draw() & mask;
      while (value > rng);
      out[i] = off + value;
    }
  }
}

/** The bool fill: one bit per draw, 32 draws from each output, lowest bit first. */
export function fillBoundedBool(
  mt: Mt19937,
  off: number,
  rng: number,
  out: { [index: number]: number; length: number },
): void {
  let buffer = 0;
  let left = 0;
  for (let i = 0; i < out.length; i++) {
    if (rng === 0) {
      out[i] = off;
      continue;
    }
    if (left === 0) {
      buffer = mt.nextUint32();
      left = 31;
    } else {
      buffer >>>= 1;
      left--;
    }
    out[i] = buffer & 1;
  }
}

/**
 * The 64-bit masked fill for 1 + rng > 2^32: `next_uint64() & mask`, redrawn while > rng, then
 * `off + value` modulo 2^64. Done in bigints; `wrapSigned` reads the sum as int64.
 */
export function fillBounded64(
  mt: Mt19937,
  off: bigint,
  rng: bigint,
  count: number,
  wrapSigned: boolean,
): bigint[] {
  const out = new Array<bigint>(count);
  if (rng === 2n ** 64n - 1n) {
    for (let i = 0; i < count; i++) out[i] = wrap(off + nextUint64(mt), wrapSigned);
    return out;
  }
  let mask = rng;
  for (let shift = 1n; shift <= 32n; shift <<= 1n) mask |= mask >> shift;
  const maskHigh = Number(mask >> 32n);
  for (let i = 0; i < count; i++) {
    let value: bigint;
    do {
      const high = (mt.nextInt32() & maskHigh) >>> 0;
      const low = mt.nextUint32(); // mask >= 2^32 - 1 here: the low word is kept whole
      value = (BigInt(high) << 32n) | BigInt(low);
    } while (value > rng);
    out[i] = wrap(off + value, wrapSigned);
  }
  return out;
}

/**
 * The same 64-bit masked draw for a range below 2^53, in plain numbers (every value is exact).
 */
export function fillBounded53(mt: Mt19937, off: number, rng: number, out: number[]): void {
  const maskHigh = 0xffffffff >>> Math.clz32(Math.floor(rng / TWO_POW_32));
  for (let i = 0; i < out.length; i++) {
    let value: number;
    do {
      const high = (mt.nextInt32() & maskHigh) >>> 0;
      value = high * TWO_POW_32 + mt.nextUint32();
    } while (value > rng);
    out[i] = off + value;
  }
}

/** `random_interval(max)`: masked rejection in [0, max], as `shuffle` and `permutation` draw. */
export function randomInterval(mt: Mt19937, max: number): number {
  if (max === 0) return 0;
  if (max <= 0xffffffff) {
    const mask = mask32(max);
    let value: number;
    do value = (mt.nextInt32() & mask) >>> 0;
    while (value > max);
    return value;
  }
  const maskHigh = 0xffffffff >>> Math.clz32(Math.floor(max / TWO_POW_32));
  let value: number;
  do value = ((mt.nextInt32() & maskHigh) >>> 0) * TWO_POW_32 + mt.nextUint32();
  while (value > max);
  return value;
}

function nextUint64(mt: Mt19937): bigint {
  const high = mt.nextUint32(); // NumPy's next64: the first output is the high word
  return (BigInt(high) << 32n) | BigInt(mt.nextUint32());
}

function wrap(value: bigint, signed: boolean): bigint {
  return signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value);
}
