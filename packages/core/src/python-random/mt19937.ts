import { createWasmTwister } from './mt19937-wasm-twist.js';

/**
 * MT19937, the Mersenne Twister of Matsumoto and Nishimura (2002 reference version), as both
 * CPython's `random` and NumPy's legacy `RandomState` run it.
 *
 * Both keep the same state: 624 untempered 32-bit words and an index into them (624 means
 * "twist before the next draw"). They differ only in how a seed becomes that state
 * (`init_genrand` vs `init_by_array`) and in what they build from the 32-bit outputs, which the
 * callers do. The words are held in an `Int32Array` (V8 keeps int32 values unboxed; a
 * `Uint32Array` read above 2^31 would be a heap number); `>>> 0` turns them back to unsigned.
 *
 * For speed, each twist also tempers all 624 new words into `outputs`, so a draw is one array
 * read; the state (`words`, `index`) is still the untempered one Python and NumPy expose. The
 * twist runs as WebAssembly where available (`mt19937-wasm-twist.ts`), else in JavaScript;
 * both give the same words.
 */

/** Number of 32-bit words in the state. */
export const MT19937_WORDS = 624;
const M = 397;
const MATRIX_A = 0x9908b0df | 0;
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;
// Tempering masks as int32 constants: a literal above 2^31 would be a double in the hot loop.
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;
const TWO_POW_26 = 67108864;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** The state as plain numbers: 624 unsigned words and the index of the next one to temper. */
export interface Mt19937State {
  key: number[];
  index: number;
}

/**
 * A Mersenne Twister with a readable and writable state.
 *
 * @example
 * const mt = Mt19937.fromSeed(5489);
 * mt.nextUint32(); // 3499211612, the reference implementation's first output
 */
export class Mt19937 {
  /** The untempered state words (signed view of the unsigned words). */
  readonly words: Int32Array;
  /** The tempered outputs of `words`, valid when `index` < 624. */
  readonly outputs: Int32Array;
  /** The WebAssembly twist over `words` / `outputs`, when in use. */
  private readonly wasmTwist: (() => void) | undefined;
  /** Index of the next word to temper; 624 means the next draw twists first. */
  index = MT19937_WORDS;

  /**
   * An unseeded generator (all-zero state; seed it before drawing). `wasm: false` forces the
   * JavaScript twist (the default uses WebAssembly when the runtime allows it).
   */
  constructor(options: { wasm?: boolean } = {}) {
    const twister = options.wasm === false ? undefined : createWasmTwister();
    this.words = twister?.words ?? new Int32Array(MT19937_WORDS);
    this.outputs = twister?.outputs ?? new Int32Array(MT19937_WORDS);
    this.wasmTwist = twister?.twist;
  }

  /** Whether this generator twists in WebAssembly. */
  get usesWasm(): boolean {
    return this.wasmTwist !== undefined;
  }

  /**
   * `init_genrand(seed)`: Knuth's linear recurrence from one 32-bit seed. NumPy's
   * `RandomState.seed(int)` and `mt19937_seed` use this.
   *
   * @example
   * Mt19937.fromSeed(0).nextUint32(); // 2357136044, numpy.random.RandomState(0).randint(2**32, dtype='uint32')
   */
  static fromSeed(seed: number): Mt19937 {
    const generator = new Mt19937();
    generator.seedGenrand(seed);
    return generator;
  }

  /**
   * `init_by_array(key)`: the array seeding CPython uses for every integer seed (the 32-bit
   * words of |seed|, least significant first) and NumPy for array seeds.
   *
   * @example
   * Mt19937.fromKey([0x123, 0x234, 0x345, 0x456]).nextUint32(); // 1067595299 (reference mt19937ar.out)
   */
  static fromKey(key: ArrayLike<number>): Mt19937 {
    const generator = new Mt19937();
    generator.seedByArray(key);
    return generator;
  }

  /** Resets the state with `init_genrand(seed)`; `seed` is taken modulo 2^32. */
  seedGenrand(seed: number): void {
    const mt = this.words;
    mt[0] = seed | 0;
    for (let i = 1; i < MT19937_WORDS; i++) {
      const previous = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, previous ^ (previous >>> 30)) + i) | 0;
    }
    this.index = MT19937_WORDS;
  }

  /** Resets the state with `init_by_array(key)`; each key entry is taken modulo 2^32. */
  seedByArray(key: ArrayLike<number>): void {
    this.seedGenrand(19650218);
    const mt = this.words;
    const length = key.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT19937_WORDS, length); k > 0; k--) {
      const previous = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(previous ^ (previous >>> 30), 1664525)) + (key[j]! | 0) + j) | 0;
      i++;
      j++;
      if (i >= MT19937_WORDS) {
        mt[0] = mt[MT19937_WORDS - 1]!;
        i = 1;
      }
      if (j >= length) j = 0;
    }
    for (let k = MT19937_WORDS - 1; k > 0; k--) {
      const previous = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(previous ^ (previous >>> 30), 1566083941)) - i) | 0;
      i++;
      if (i >= MT19937_WORDS) {
        mt[0] = mt[MT19937_WORDS - 1]!;
        i = 1;
      }
    }
    mt[0] = UPPER_MASK; // MSB is 1, so the state is never all zero
    this.index = MT19937_WORDS;
  }

  /**
   * Regenerates all 624 words (the reference `genrand` block) and tempers them into `outputs`.
   * `((y << 31) >> 31) & MATRIX_A` is the reference `mag01[y & 1]` without a branch (and
   * without the -0 that `-(y & 1)` would make, which V8 keeps as a double).
   */
  twist(): void {
    if (this.wasmTwist !== undefined) {
      this.wasmTwist();
      this.index = 0;
      return;
    }
    const mt = this.words;
    const out = this.outputs;
    let current = mt[0]!;
    let kk = 0;
    for (; kk < MT19937_WORDS - M; kk++) {
      const next = mt[kk + 1]!;
      const y = (current & UPPER_MASK) | (next & LOWER_MASK);
      let v = mt[kk + M]! ^ (y >>> 1) ^ (((y << 31) >> 31) & MATRIX_A);
      mt[kk] = v;
      v ^= v >>> 11;
      v ^= (v << 7) & TEMPER_B;
      v ^= (v << 15) & TEMPER_C;
      out[kk] = v ^ (v >>> 18);
      current = next;
    }
    for (; kk < MT19937_WORDS - 1; kk++) {
      const next = mt[kk + 1]!;
      const y = (current & UPPER_MASK) | (next & LOWER_MASK);
      let v = mt[kk + (M - MT19937_WORDS)]! ^ (y >>> 1) ^ (((y << 31) >> 31) & MATRIX_A);
      mt[kk] = v;
      v ^= v >>> 11;
      v ^= (v << 7) & TEMPER_B;
      v ^= (v << 15) & TEMPER_C;
      out[kk] = v ^ (v >>> 18);
      current = next;
    }
    const y = (current & UPPER_MASK) | (mt[0]! & LOWER_MASK);
    let v = mt[M - 1]! ^ (y >>> 1) ^ (((y << 31) >> 31) & MATRIX_A);
    mt[MT19937_WORDS - 1] = v;
    v ^= v >>> 11;
    v ^= (v << 7) & TEMPER_B;
    v ^= (v << 15) & TEMPER_C;
    out[MT19937_WORDS - 1] = v ^ (v >>> 18);
    this.index = 0;
  }

  /** Fills `outputs` with the tempered `words` (after a state is put back). */
  private temperAll(): void {
    const mt = this.words;
    const out = this.outputs;
    for (let i = 0; i < MT19937_WORDS; i++) {
      let y = mt[i]!;
      y ^= y >>> 11;
      y ^= (y << 7) & TEMPER_B;
      y ^= (y << 15) & TEMPER_C;
      out[i] = y ^ (y >>> 18);
    }
  }

  /** The next 32-bit output as a signed int32 (the same bits as `nextUint32`). */
  nextInt32(): number {
    if (this.index >= MT19937_WORDS) this.twist();
    return this.outputs[this.index++]!;
  }

  /** The next 32-bit output, `genrand_uint32()` / `mt19937_next32()`. */
  nextUint32(): number {
    if (this.index >= MT19937_WORDS) this.twist();
    return this.outputs[this.index++]! >>> 0;
  }

  /**
   * A double in [0, 1) from 53 random bits: `(a >> 5) * 2^26 + (b >> 6)` over 2^53, with `a`
   * the first output. CPython's `random()` (`genrand_res53`) and NumPy's `mt19937_next_double`.
   */
  nextDouble(): number {
    const i = this.index;
    if (i < MT19937_WORDS - 1) {
      const out = this.outputs;
      this.index = i + 2;
      return ((out[i]! >>> 5) * TWO_POW_26 + (out[i + 1]! >>> 6)) * TWO_POW_MINUS_53;
    }
    // The two words straddle a twist (or one is due).
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_MINUS_53;
  }

  /** The state as unsigned words and the index (a copy). */
  getState(): Mt19937State {
    return { key: Array.from(this.words, (word) => word >>> 0), index: this.index };
  }

  /** Puts back a state; the caller has checked 624 words in 0..2^32-1 and 0 <= index <= 624. */
  setState(key: ArrayLike<number>, index: number): void {
    for (let i = 0; i < MT19937_WORDS; i++) this.words[i] = key[i]! | 0;
    this.temperAll();
    this.index = index;
  }

  /** An independent copy of this generator. */
  clone(): Mt19937 {
    const copy = new Mt19937({ wasm: this.usesWasm });
    copy.words.set(this.words);
    copy.outputs.set(this.outputs);
    copy.index = this.index;
    return copy;
  }
}
