import { cos, log, sin } from './libm.js';
import { MT19937_WORDS, Mt19937 } from './mt19937.js';
import { PythonRandomError } from './python-random-error.js';
import { type PythonSeed, pythonSeedKey } from './python-seed.js';

/**
 * `random.getstate()` of CPython 3 as JSON: `[3, [624 state words..., index], gauss_next]`.
 * `json.dumps(random.getstate())` in Python prints exactly this shape; to hand it back to Python,
 * convert the middle list to a tuple: `random.setstate((s[0], tuple(s[1]), s[2]))`.
 */
export type PythonRandomState = [version: 3, internalState: number[], gaussNext: number | null];

/** NV_MAGICCONST = 4 * exp(-0.5) / sqrt(2.0), as CPython computes it (0x1.b72cd3f331398p+0). */
const NV_MAGICCONST = 0x1b72cd3f331398 / 2 ** 52;
/** TWOPI = 2.0 * pi (0x1.921fb54442d18p+2). */
const TWOPI = 2 * Math.PI;
const TWO_POW_32 = 0x100000000;

/**
 * CPython 3's `random.Random` (checked against CPython 3.11; see the guide for other versions): the
 * Mersenne Twister seeded as CPython seeds it, and each method drawing exactly what CPython's
 * draws, so the same seed gives the same numbers bit for bit. Method names are Python's.
 *
 * Integer results are `number`s when every argument is a `number`, `bigint`s when one is a
 * `bigint` (for ranges beyond 2^53). `getrandbits(k)` returns a number and takes k <= 53;
 * `getrandbitsBigInt(k)` takes any k. Floats match bit for bit; `gauss`, `normalvariate` and
 * `expovariate` also depend on `log`/`sin`/`cos` (see the guide for what was measured).
 *
 * @example
 * const rng = pythonRandom(42);
 * rng.random(); // 0.6394267984578837, as random.seed(42); random.random()
 * rng.randint(1, 6); // 1, as the next random.randint(1, 6)
 */
export class PythonRandom {
  /** The Mersenne Twister underneath (exposed for tests and other ports). */
  readonly mt = new Mt19937();
  /** The cached second value of `gauss`, as `gauss_next` in CPython. */
  gaussNext: number | null = null;

  constructor(seed: PythonSeed) {
    this.seed(seed);
  }

  /**
   * `random.seed(a)` (version 2): ints of any size and sign (|a| is used), floats through
   * `hash()`, str and bytes through SHA-512. Also clears the cached `gauss` value.
   *
   * @example
   * rng.seed('hello'); // same stream as random.seed('hello')
   */
  seed(a: PythonSeed): void {
    if (a === undefined || a === null) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_INVALID_SEED',
        generator: 'python',
        call: 'random.seed',
        message: 'a seed is required (reprokit never seeds from the OS)',
      });
    }
    this.mt.seedByArray(pythonSeedKey(a));
    this.gaussNext = null;
  }

  /**
   * `random.random()`: a float in [0, 1) from 53 bits (`(a >> 5) * 2^26 + (b >> 6)` over 2^53).
   *
   * @example
   * pythonRandom(0).random(); // 0.8444218515250481
   */
  random(): number {
    return this.mt.nextDouble();
  }

  /**
   * `random.getrandbits(k)` for 0 <= k <= 53, as a number. For larger k use
   * `getrandbitsBigInt`.
   *
   * @example
   * pythonRandom(1).getrandbits(8); // 34
   */
  getrandbits(k: number): number {
    checkBitCount(k, 53, 'getrandbits');
    if (k === 0) return 0;
    if (k <= 32) return this.mt.nextUint32() >>> (32 - k);
    const low = this.mt.nextUint32();
    const high = this.mt.nextUint32() >>> (64 - k);
    return high * TWO_POW_32 + low;
  }

  /**
   * `random.getrandbits(k)` for any k >= 0, as a bigint (32-bit words drawn least significant
   * first; the last word keeps its top bits).
   *
   * @example
   * pythonRandom(1).getrandbitsBigInt(100); // a bigint below 2n ** 100n
   */
  getrandbitsBigInt(k: number): bigint {
    checkBitCount(k, Number.MAX_SAFE_INTEGER, 'getrandbits');
    if (k === 0) return 0n;
    const words = Math.ceil(k / 32);
    const drawn = new Array<string>(words);
    let remaining = k;
    for (let i = 0; i < words; i++, remaining -= 32) {
      let word = this.mt.nextUint32();
      if (remaining < 32) word >>>= 32 - remaining;
      drawn[words - 1 - i] = word.toString(16).padStart(8, '0');
    }
    return BigInt(`0x${drawn.join('')}`);
  }

  /**
   * `random.randbytes(n)`: `getrandbits(n * 8).to_bytes(n, 'little')`.
   *
   * @example
   * pythonRandom(3).randbytes(4); // Uint8Array(4)
   */
  randbytes(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw argumentError('randbytes', `n must be a non-negative integer, got ${String(n)}`);
    }
    const out = new Uint8Array(n);
    // Whole 32-bit words little-endian; a last partial word keeps its top bits, as to_bytes does.
    let remainingBits = n * 8;
    for (let offset = 0; offset < n; offset += 4, remainingBits -= 32) {
      let word = this.mt.nextUint32();
      if (remainingBits < 32) word >>>= 32 - remainingBits;
      for (let b = 0; b < 4 && offset + b < n; b++) out[offset + b] = (word >>> (8 * b)) & 0xff;
    }
    return out;
  }

  /**
   * `random.randrange(stop)` or `random.randrange(start, stop[, step])`, through CPython 3's
   * `_randbelow` (getrandbits with rejection).
   *
   * @example
   * pythonRandom(5).randrange(10); // 9
   * pythonRandom(5).randrange(0n, 2n ** 100n); // a bigint
   */
  randrange(start: number, stop?: number, step?: number): number;
  randrange(start: number | bigint, stop?: number | bigint, step?: number | bigint): bigint;
  randrange(
    start: number | bigint,
    stop?: number | bigint,
    step?: number | bigint,
  ): number | bigint {
    if (
      typeof start === 'number' &&
      typeof stop === 'number' &&
      (step === undefined || step === 1) &&
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(stop) &&
      stop > start &&
      Number.isSafeInteger(stop - start)
    ) {
      return start + this.randbelow(stop - start); // the common case, without bigints
    }
    const useBigInt =
      typeof start === 'bigint' || typeof stop === 'bigint' || typeof step === 'bigint';
    const istart = toBigIntArgument(start, 'randrange', 'start');
    if (stop === undefined) {
      if (step !== undefined && !(step === 1 || step === 1n)) {
        throw argumentError('randrange', 'Missing a non-None stop argument');
      }
      if (istart <= 0n) throw argumentError('randrange', 'empty range for randrange()');
      return useBigInt ? this.randbelowBigInt(istart) : this.randbelow(Number(istart));
    }
    const istop = toBigIntArgument(stop, 'randrange', 'stop');
    const istep = step === undefined ? 1n : toBigIntArgument(step, 'randrange', 'step');
    const width = istop - istart;
    let result: bigint;
    if (istep === 1n) {
      if (width <= 0n) {
        throw argumentError(
          'randrange',
          `empty range for randrange() (${istart}, ${istop}, ${width})`,
        );
      }
      if (!useBigInt && width <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(istart) + this.randbelow(Number(width));
      }
      result = istart + this.randbelowBigInt(width);
    } else {
      let n: bigint;
      if (istep > 0n) n = floorDivide(width + istep - 1n, istep);
      else if (istep < 0n) n = floorDivide(width + istep + 1n, istep);
      else throw argumentError('randrange', 'zero step for randrange()');
      if (n <= 0n) throw argumentError('randrange', 'empty range for randrange()');
      result = istart + istep * this.randbelowBigInt(n);
    }
    return useBigInt ? result : Number(result);
  }

  /**
   * `random.randint(a, b)`: `randrange(a, b + 1)`, both ends included.
   *
   * @example
   * pythonRandom(42).randint(1, 10); // 2
   */
  randint(a: number, b: number): number;
  randint(a: number | bigint, b: number | bigint): bigint;
  randint(a: number | bigint, b: number | bigint): number | bigint {
    if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(b + 1)) {
      return this.randrange(a, b + 1);
    }
    const stop = toBigIntArgument(b, 'randint', 'b') + 1n;
    if (typeof a === 'number' && typeof b === 'number') {
      return Number(this.randrange(toBigIntArgument(a, 'randint', 'a'), stop));
    }
    return this.randrange(a, stop);
  }

  /**
   * `random.choice(seq)`: `seq[_randbelow(len(seq))]`.
   *
   * @example
   * pythonRandom(42).choice(['a', 'b', 'c']); // 'c'
   */
  choice<T>(seq: ArrayLike<T>): T {
    if (seq.length === 0) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_EMPTY_POPULATION',
        generator: 'python',
        call: 'choice',
        message: 'Cannot choose from an empty sequence',
      });
    }
    return seq[this.randbelow(seq.length)]!;
  }

  /**
   * `random.choices(population, weights=None, *, cum_weights=None, k=1)`.
   *
   * @example
   * pythonRandom(1).choices(['x', 'y'], { weights: [1, 3], k: 4 });
   */
  choices<T>(
    population: ArrayLike<T>,
    options: { weights?: ArrayLike<number>; cumWeights?: ArrayLike<number>; k?: number } = {},
  ): T[] {
    const k = options.k ?? 1;
    if (!Number.isSafeInteger(k)) throw argumentError('choices', `k must be an integer, got ${k}`);
    const n = population.length;
    const count = Math.max(k, 0);
    const out = new Array<T>(count);
    let cumWeights = options.cumWeights;
    if (cumWeights === undefined) {
      if (options.weights === undefined) {
        for (let i = 0; i < count; i++) out[i] = population[Math.floor(this.random() * n)]!;
        return out;
      }
      const running: number[] = [];
      let sum = 0;
      for (let i = 0; i < options.weights.length; i++) {
        sum = i === 0 ? options.weights[0]! : sum + options.weights[i]!;
        running.push(sum);
      }
      cumWeights = running;
    } else if (options.weights !== undefined) {
      throw argumentError('choices', 'Cannot specify both weights and cumulative weights');
    }
    if (cumWeights.length !== n) {
      throw argumentError('choices', 'The number of weights does not match the population');
    }
    const total = n === 0 ? Number.NaN : cumWeights[n - 1]!;
    if (n === 0) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_EMPTY_POPULATION',
        generator: 'python',
        call: 'choices',
        message: 'cannot choose from an empty population',
      });
    }
    if (!(total > 0)) throw argumentError('choices', 'Total of weights must be greater than zero');
    if (!Number.isFinite(total)) throw argumentError('choices', 'Total of weights must be finite');
    const hi = n - 1;
    for (let i = 0; i < count; i++) {
      out[i] = population[bisectRight(cumWeights, this.random() * total, 0, hi)]!;
    }
    return out;
  }

  /**
   * `random.shuffle(x)`, in place: for i from len-1 down to 1, swap x[i] with x[_randbelow(i+1)].
   *
   * @example
   * const deck = [1, 2, 3, 4, 5];
   * pythonRandom(42).shuffle(deck); // deck is [4, 2, 3, 5, 1], as in Python
   */
  shuffle<T>(x: { length: number; [index: number]: T }): void {
    const mt = this.mt;
    const outputs = mt.outputs;
    let index = mt.index;
    for (let i = x.length - 1; i > 0; i--) {
      const n = i + 1;
      let j: number;
      if (n < TWO_POW_32) {
        // _randbelow(n) for n < 2^32: the top k = bit_length(n) bits of one output per try,
        // read from the Mersenne Twister's outputs in place.
        const shift = Math.clz32(n);
        do {
          if (index >= MT19937_WORDS) {
            mt.twist();
            index = 0;
          }
          j = outputs[index++]! >>> shift;
        } while (j >= n);
      } else {
        mt.index = index;
        j = this.randbelow(n);
        index = mt.index;
      }
      const held = x[i]!;
      x[i] = x[j]!;
      x[j] = held;
    }
    mt.index = index;
  }

  /**
   * `random.sample(population, k, *, counts=None)`. A number as population stands for
   * `range(population)` (Python's `sample(range(n), k)` without building the range).
   *
   * @example
   * pythonRandom(42).sample([10, 20, 30, 40, 50], 2); // [10, 50]
   * pythonRandom(42).sample(10_000_000, 3); // three distinct indices
   */
  sample(population: number, k: number, options?: { counts?: ArrayLike<number> }): number[];
  sample<T>(population: ArrayLike<T>, k: number, options?: { counts?: ArrayLike<number> }): T[];
  sample<T>(
    population: ArrayLike<T> | number,
    k: number,
    options: { counts?: ArrayLike<number> } = {},
  ): (T | number)[] {
    const pick: (index: number) => T | number =
      typeof population === 'number' ? (index) => index : (index) => population[index]!;
    const n = typeof population === 'number' ? population : population.length;
    if (!Number.isSafeInteger(n) || n < 0) {
      throw argumentError('sample', `population must be a sequence or a size, got ${n}`);
    }
    if (options.counts !== undefined) {
      const counts = options.counts;
      if (counts.length !== n) {
        throw argumentError('sample', 'The number of counts does not match the population');
      }
      const cumCounts: number[] = [];
      let total = 0;
      for (let i = 0; i < counts.length; i++) {
        const count = counts[i]!;
        if (!Number.isSafeInteger(count)) throw argumentError('sample', 'Counts must be integers');
        total += count;
        cumCounts.push(total);
      }
      cumCounts.pop();
      if (total <= 0) throw argumentError('sample', 'Total of counts must be greater than zero');
      return this.sampleIndices(total, k).map((s) =>
        pick(bisectRight(cumCounts, s, 0, cumCounts.length)),
      );
    }
    return this.sampleIndices(n, k).map(pick);
  }

  /**
   * `random.uniform(a, b)`: `a + (b - a) * random()`.
   *
   * @example
   * pythonRandom(42).uniform(1, 2); // 1.6394267984578836
   */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }

  /**
   * `random.triangular(low=0.0, high=1.0, mode=None)`.
   *
   * @example
   * pythonRandom(42).triangular(0, 10, 2);
   */
  triangular(low = 0, high = 1, mode?: number): number {
    let u = this.random();
    let c = 0.5;
    if (mode !== undefined) {
      if (high - low === 0) return low; // Python's ZeroDivisionError branch
      c = (mode - low) / (high - low);
    }
    let lo = low;
    let hi = high;
    if (u > c) {
      u = 1 - u;
      c = 1 - c;
      lo = high;
      hi = low;
    }
    return lo + (hi - lo) * Math.sqrt(u * c);
  }

  /**
   * `random.gauss(mu=0.0, sigma=1.0)`: Box-Muller with the second value cached in `gaussNext`.
   *
   * @example
   * pythonRandom(42).gauss(); // -0.14409032957792836 (see the guide for exactness)
   */
  gauss(mu = 0, sigma = 1): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * TWOPI;
      const g2rad = Math.sqrt(-2 * log(1 - this.random()));
      z = cos(x2pi) * g2rad;
      this.gaussNext = sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  /**
   * `random.normalvariate(mu=0.0, sigma=1.0)`: Kinderman and Monahan's ratio method.
   *
   * @example
   * pythonRandom(42).normalvariate(); // 0.2453263417078634
   */
  normalvariate(mu = 0, sigma = 1): number {
    let z: number;
    for (;;) {
      const u1 = this.random();
      const u2 = 1 - this.random();
      z = (NV_MAGICCONST * (u1 - 0.5)) / u2;
      const zz = (z * z) / 4;
      if (zz <= -log(u2)) break;
    }
    return mu + z * sigma;
  }

  /**
   * `random.expovariate(lambd=1.0)`: `-log(1 - random()) / lambd`.
   *
   * @example
   * pythonRandom(42).expovariate(2);
   */
  expovariate(lambd = 1): number {
    return -log(1 - this.random()) / lambd;
  }

  /**
   * `random.getstate()` as JSON: `[3, [624 words..., index], gauss_next]`.
   *
   * @example
   * const saved = rng.getstate(); // JSON.stringify(saved) for Python: json.loads, then
   * // random.setstate((s[0], tuple(s[1]), s[2]))
   */
  getstate(): PythonRandomState {
    const { key, index } = this.mt.getState();
    key.push(index);
    return [3, key, this.gaussNext];
  }

  /**
   * `random.setstate(state)`: takes what `getstate()` returned here or `random.getstate()` in
   * Python (as JSON, tuple or list), version 3, or version 2 (Python 2 pickles, words taken
   * modulo 2^32). A malformed state throws `PYTHON_RANDOM_INVALID_STATE` and changes nothing.
   *
   * @example
   * rng.setstate(JSON.parse(textFromPython));
   */
  setstate(state: unknown): void {
    const { words, index, gaussNext } = parsePythonRandomState(state);
    this.mt.setState(words, index);
    this.gaussNext = gaussNext;
  }

  /**
   * `_randbelow(n)` for a positive safe integer n: k = n.bit_length() random bits, redrawn
   * while >= n.
   */
  randbelow(n: number): number {
    if (n < TWO_POW_32) {
      const shift = Math.clz32(n);
      let r: number;
      do r = this.mt.nextUint32() >>> shift;
      while (r >= n);
      return r;
    }
    if (n <= Number.MAX_SAFE_INTEGER) {
      // 33 to 53 bits (n >= 2^32 has bit_length 33 or more): a full low word, then the top
      // (k - 32) bits of a second word.
      const highShift = Math.clz32(Math.floor(n / TWO_POW_32));
      let r: number;
      do {
        const low = this.mt.nextUint32();
        r = (this.mt.nextUint32() >>> highShift) * TWO_POW_32 + low;
      } while (r >= n);
      return r;
    }
    return Number(this.randbelowBigInt(BigInt(n)));
  }

  /** `_randbelow(n)` for a positive bigint n. */
  randbelowBigInt(n: bigint): bigint {
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) return BigInt(this.randbelow(Number(n)));
    const k = n.toString(2).length;
    let r = this.getrandbitsBigInt(k);
    while (r >= n) r = this.getrandbitsBigInt(k);
    return r;
  }

  /** The indices `sample(range(n), k)` picks, in selection order. */
  private sampleIndices(n: number, k: number): number[] {
    if (!Number.isSafeInteger(k) || k < 0 || k > n) {
      throw argumentError('sample', 'Sample larger than population or is negative');
    }
    const result = new Array<number>(k);
    let setsize = 21; // size of a small set minus size of an empty list, as CPython estimates
    if (k > 5) setsize += 4 ** ceilLog4(k * 3);
    if (n <= setsize) {
      // An n-length pool: non-selected indices stay at pool[0 : n-i].
      const pool = Array.from({ length: n }, (_, i) => i);
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j]!;
        pool[j] = pool[n - i - 1]!;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = j;
      }
    }
    return result;
  }
}

/**
 * A CPython 3 `random.Random(seed)`: same seed, same numbers. See {@link PythonRandom}.
 *
 * @example
 * const rng = pythonRandom(42);
 * rng.random(); // 0.6394267984578837, as random.seed(42); random.random()
 * const deck = [1, 2, 3, 4, 5];
 * rng.shuffle(deck); // the order random.shuffle gives after that random() call
 */
export function pythonRandom(seed: PythonSeed): PythonRandom {
  return new PythonRandom(seed);
}

/** Checks a CPython 3 `getstate()` value and returns its parts (words, index, gauss_next). */
export function parsePythonRandomState(state: unknown): {
  words: number[];
  index: number;
  gaussNext: number | null;
} {
  const fail = (problem: string): never => {
    throw new PythonRandomError({
      code: 'PYTHON_RANDOM_INVALID_STATE',
      generator: 'python',
      call: 'random.setstate',
      message: `not a state from random.getstate(): ${problem}`,
    });
  };
  if (!Array.isArray(state) || state.length !== 3) {
    return fail('expected [version, internal state (625 integers), gauss_next]');
  }
  const [version, internal, gaussNext] = state as [unknown, unknown, unknown];
  if (version !== 3 && version !== 2) {
    return fail(`state with version ${String(version)} (Random supports 2 and 3)`);
  }
  if (!Array.isArray(internal) || internal.length !== MT19937_WORDS + 1) {
    return fail(`the internal state must have ${MT19937_WORDS + 1} integers`);
  }
  const words: number[] = new Array(MT19937_WORDS);
  for (let i = 0; i < MT19937_WORDS; i++) {
    const word: unknown = internal[i];
    if (typeof word !== 'number' || !Number.isSafeInteger(word)) {
      return fail(`word ${i} is not an integer`);
    }
    if (version === 3 && (word < 0 || word >= TWO_POW_32)) {
      return fail(`word ${i} (${word}) is not in 0..2^32-1`);
    }
    // Version 2 (Python 2) stored signed words: Python takes them modulo 2^32.
    words[i] = ((word % TWO_POW_32) + TWO_POW_32) % TWO_POW_32;
  }
  const index: unknown = internal[MT19937_WORDS];
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MT19937_WORDS) {
    return fail(`the index (${String(index)}) must be an integer in 0..${MT19937_WORDS}`);
  }
  if (gaussNext !== null && typeof gaussNext !== 'number') {
    return fail('gauss_next must be a number or null');
  }
  return { words, index, gaussNext };
}

/** Smallest p with 4^p >= x (x > 0 is never a power of 4 here: x = 3k). */
function ceilLog4(x: number): number {
  let p = 0;
  let power = 1;
  while (power < x) {
    power *= 4;
    p++;
  }
  return p;
}

/** Python's `bisect.bisect_right(a, x, lo, hi)`. */
function bisectRight(a: ArrayLike<number>, x: number, lo: number, hi: number): number {
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (x < a[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? quotient - 1n : quotient;
}

function toBigIntArgument(value: unknown, call: string, name: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw argumentError(
    call,
    `${name} must be an integer (a safe-integer number or a bigint), got ${String(value)}`,
  );
}

function checkBitCount(k: number, max: number, call: string): void {
  if (!Number.isSafeInteger(k) || k < 0) {
    throw argumentError(call, `number of bits must be a non-negative integer, got ${String(k)}`);
  }
  if (k > max) {
    throw argumentError(
      call,
      `k = ${k} does not fit a number without rounding; use getrandbitsBigInt(${k})`,
    );
  }
}

function argumentError(call: string, message: string): PythonRandomError {
  return new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_ARGUMENT',
    generator: 'python',
    call,
    message,
  });
}
