/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator behind TensorFlow's random ops, with TensorFlow's counter handling
 * (`tensorflow/core/lib/random/philox_random.h`): each call encrypts the 128-bit counter with
 * the 64-bit key in ten rounds, returns four 32-bit words and adds one to the counter.
 */

const PHILOX_W32A = 0x9e3779b9;
const PHILOX_W32B = 0xbb67ae85;
const PHILOX_M4X32A = 0xd2511f53;
const PHILOX_M4X32B = 0xcd9e8d57;
const TWO_POW_32 = 0x100000000;

/** The high 32 bits of the 64-bit product of two uint32 values, exactly, in doubles. */
function multiplyHigh(a: number, b: number): number {
  // a * b = a * bHigh * 2^16 + a * bLow, each partial product exact (< 2^48).
  const partialHigh = a * (b >>> 16);
  const partialLow = a * (b & 0xffff);
  return (
    Math.floor(partialHigh / 65536) +
    Math.floor(((partialHigh % 65536) * 65536 + partialLow) / TWO_POW_32)
  );
}

/**
 * One Philox4x32-10 block: the four words for `counter` under `key`, without touching either.
 *
 * @example
 * philox4x32x10([0, 0, 0, 0], [0, 0]); // [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philox4x32x10(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
): [number, number, number, number] {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + PHILOX_W32A) >>> 0;
      k1 = (k1 + PHILOX_W32B) >>> 0;
    }
    const lo0 = Math.imul(PHILOX_M4X32A, c0) >>> 0;
    const hi0 = multiplyHigh(PHILOX_M4X32A, c0);
    const lo1 = Math.imul(PHILOX_M4X32B, c2) >>> 0;
    const hi1 = multiplyHigh(PHILOX_M4X32B, c2);
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  return [c0, c1, c2, c3];
}

/**
 * TensorFlow's `random::PhiloxRandom`: a key, a 128-bit counter (four uint32, least significant
 * first), `next()` for four words and `skip(n)` to jump n blocks ahead.
 *
 * @example
 * const philox = PhiloxRandom.fromSeeds(7, 1390851128); // PhiloxRandom(seed, seed2)
 * philox.next(); // the four words TF's first call gives
 */
export class PhiloxRandom {
  readonly counter: Uint32Array;
  readonly key: Uint32Array;

  constructor(counter: ArrayLike<number>, key: ArrayLike<number>) {
    this.counter = Uint32Array.from({ length: 4 }, (_, i) => counter[i]! >>> 0);
    this.key = Uint32Array.from({ length: 2 }, (_, i) => key[i]! >>> 0);
  }

  /**
   * `PhiloxRandom(seed_lo, seed_hi)`: key = the two halves of `seedLo`, counter = [0, 0, the
   * two halves of `seedHi`]. Seeds are 64-bit (numbers up to 2^53, or bigints).
   */
  static fromSeeds(seedLo: number | bigint, seedHi: number | bigint): PhiloxRandom {
    const [keyLow, keyHigh] = split64(seedLo);
    const [counterLow, counterHigh] = split64(seedHi);
    return new PhiloxRandom([0, 0, counterLow, counterHigh], [keyLow, keyHigh]);
  }

  /** The next four words; then the counter moves one block on. */
  next(): [number, number, number, number] {
    const result = philox4x32x10(this.counter, this.key);
    this.skipOne();
    return result;
  }

  /**
   * Skips `count` blocks of 128 bits (a uint64: a safe-integer number or a bigint), with
   * TensorFlow's carry handling (`PhiloxRandom::Skip`).
   */
  skip(count: number | bigint): void {
    const [countLow, countHighInitial] = split64(count);
    let countHigh = countHighInitial;
    const c = this.counter;
    c[0] = c[0]! + countLow;
    if (c[0]! < countLow) countHigh = (countHigh + 1) >>> 0;
    c[1] = c[1]! + countHigh;
    if (c[1]! < countHigh) {
      c[2] = c[2]! + 1;
      if (c[2] === 0) c[3] = c[3]! + 1;
    }
  }

  /** An independent copy (TensorFlow passes the generator by value). */
  clone(): PhiloxRandom {
    return new PhiloxRandom(this.counter, this.key);
  }

  private skipOne(): void {
    const c = this.counter;
    c[0] = c[0]! + 1;
    if (c[0] === 0) {
      c[1] = c[1]! + 1;
      if (c[1] === 0) {
        c[2] = c[2]! + 1;
        if (c[2] === 0) c[3] = c[3]! + 1;
      }
    }
  }
}

/** The low and high uint32 halves of a uint64 given as a number (< 2^53) or a bigint. */
function split64(value: number | bigint): [number, number] {
  const big = BigInt.asUintN(64, BigInt(value));
  return [Number(big & 0xffffffffn), Number(big >> 32n)];
}
