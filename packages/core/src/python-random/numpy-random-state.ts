import { log } from './libm.js';
import { MT19937_WORDS, Mt19937 } from './mt19937.js';
import {
  DTYPE_BOUNDS,
  fillBounded32,
  fillBounded53,
  fillBounded64,
  fillBoundedBool,
  fillBoundedSmall,
  type NumpyIntegerDtype,
  randomInterval,
} from './numpy-bounded-integers.js';
import { PythonRandomError } from './python-random-error.js';

export type { NumpyIntegerDtype } from './numpy-bounded-integers.js';

/**
 * What `numpyRandomState(seed)` / `RandomState.seed(seed)` accepts: an integer in 0..2^32-1
 * (`init_genrand`), or a non-empty list of such integers (`init_by_array`).
 */
export type NumpySeed = number | bigint | ArrayLike<number | bigint>;

/**
 * A NumPy `size` / shape: a count or a list of dimensions. Results are flat, row-major arrays
 * of `prod(size)` values (NumPy's order); reshape them as you need.
 */
export type NumpySize = number | readonly number[];

/**
 * `RandomState.get_state()` as JSON: `['MT19937', key (624 words), pos, has_gauss,
 * cached_gaussian]`. In Python: `s = rs.get_state(); json.dumps([s[0], s[1].tolist(), *s[2:]])`;
 * back: `rs.set_state(json.loads(text))` (NumPy takes the list form as it is).
 */
export type NumpyRandomStateState = [
  bitGenerator: 'MT19937',
  key: number[],
  pos: number,
  hasGauss: 0 | 1,
  cachedGaussian: number,
];

/** The typed array `randint(..., { size, dtype })` returns for each dtype. */
export type NumpyIntegerArray<
  D extends NumpyIntegerDtype,
  B extends number | bigint,
> = D extends 'int8'
  ? Int8Array
  : D extends 'int16'
    ? Int16Array
    : D extends 'int32'
      ? Int32Array
      : D extends 'uint8' | 'bool'
        ? Uint8Array
        : D extends 'uint16'
          ? Uint16Array
          : D extends 'uint32'
            ? Uint32Array
            : D extends 'int64'
              ? B extends bigint
                ? BigInt64Array
                : number[]
              : B extends bigint
                ? BigUint64Array
                : number[];

const TWO_POW_32 = 0x100000000;

/**
 * NumPy's legacy `numpy.random.RandomState` (also what the `np.random.*` module functions
 * use after `np.random.seed`), checked against NumPy 1.24 (NumPy keeps this legacy stream
 * frozen): the same seed gives the same numbers bit for bit. Method names are NumPy's in
 * camelCase (`random_sample` -> `randomSample`, `get_state` -> `getState`).
 *
 * Without `size` a method returns one number; with `size` it returns a flat row-major array
 * (`Float64Array` for floats). `randint` returns `number`s (or number arrays) for number bounds
 * and `bigint`s for bigint bounds; see {@link NumpyRandomState.randint}.
 *
 * @example
 * const rs = numpyRandomState(42);
 * rs.rand(); // 0.3745401188473625, as np.random.seed(42); np.random.rand()
 * rs.permutation(5); // Int32Array [0, 1, 3, 2, 4], as np.random.permutation(5) next
 */
export class NumpyRandomState {
  /** The Mersenne Twister underneath. */
  readonly mt = new Mt19937();
  /** Whether a second normal value is cached (`has_gauss`). */
  hasGauss: 0 | 1 = 0;
  /** The cached normal value (`gauss`; 0 when none is cached). */
  gauss = 0;

  constructor(seed: NumpySeed) {
    this.seed(seed);
  }

  /**
   * `RandomState.seed(seed)`: an integer 0..2^32-1 uses `init_genrand`, a non-empty list of
   * such integers `init_by_array`. Also drops the cached normal value.
   *
   * @example
   * rs.seed(0); // as np.random.seed(0)
   * rs.seed([1, 2, 3]); // as np.random.seed([1, 2, 3])
   */
  seed(seed: NumpySeed): void {
    if (typeof seed === 'number' || typeof seed === 'bigint') {
      this.mt.seedGenrand(Number(checkSeedWord(seed, 'seed')));
    } else if (seed !== null && typeof seed === 'object' && typeof seed.length === 'number') {
      if (seed.length === 0) throw seedError('Seed must be non-empty');
      const key = Array.from(seed, (word, i) => Number(checkSeedWord(word, `seed[${i}]`)));
      this.mt.seedByArray(key);
    } else {
      throw seedError(
        `a seed must be an integer in 0..2**32-1 or a list of them, got ${typeof seed}`,
      );
    }
    this.hasGauss = 0;
    this.gauss = 0;
  }

  /**
   * `RandomState.get_state()` as JSON.
   *
   * @example
   * const saved = rs.getState(); // later rs.setState(saved), or np.random.set_state(saved) in Python
   */
  getState(): NumpyRandomStateState {
    const { key, index } = this.mt.getState();
    return ['MT19937', key, index, this.hasGauss, this.gauss];
  }

  /**
   * `RandomState.set_state(state)`: the tuple/list form (3 or 5 items) or the dict form
   * `{ bit_generator: 'MT19937', state: { key, pos }, has_gauss, gauss }`. A malformed state
   * throws `PYTHON_RANDOM_INVALID_STATE` and changes nothing.
   *
   * @example
   * rs.setState(JSON.parse(textFromPython));
   */
  setState(state: unknown): void {
    const parsed = parseNumpyState(state);
    this.mt.setState(parsed.key, parsed.pos);
    this.hasGauss = parsed.hasGauss;
    this.gauss = parsed.gauss;
  }

  /**
   * `random_sample(size=None)`: floats in [0, 1) from 53 bits each.
   *
   * @example
   * numpyRandomState(0).randomSample(); // 0.5488135039273248
   */
  randomSample(): number;
  randomSample(size: NumpySize): Float64Array;
  randomSample(size?: NumpySize): number | Float64Array {
    if (size === undefined) return this.mt.nextDouble();
    const out = new Float64Array(sizeOf(size, 'random_sample'));
    for (let i = 0; i < out.length; i++) out[i] = this.mt.nextDouble();
    return out;
  }

  /**
   * `random(size=None)`, the same as `randomSample`.
   *
   * @example
   * numpyRandomState(0).random([2, 2]); // Float64Array(4)
   */
  random(): number;
  random(size: NumpySize): Float64Array;
  random(size?: NumpySize): number | Float64Array {
    return size === undefined ? this.mt.nextDouble() : this.randomSample(size);
  }

  /**
   * `rand(d0, d1, ...)`: `random_sample` with the dimensions as arguments.
   *
   * @example
   * numpyRandomState(42).rand(2, 3); // Float64Array(6), row-major
   */
  rand(): number;
  rand(...shape: number[]): Float64Array;
  rand(...shape: number[]): number | Float64Array {
    return shape.length === 0 ? this.mt.nextDouble() : this.randomSample(shape);
  }

  /**
   * `standard_normal(size=None)`: the legacy polar (Marsaglia) method, which makes two values
   * per accepted pair and caches the second (`has_gauss` / `gauss` in the state).
   *
   * @example
   * numpyRandomState(0).standardNormal(); // 1.764052345967664
   */
  standardNormal(): number;
  standardNormal(size: NumpySize): Float64Array;
  standardNormal(size?: NumpySize): number | Float64Array {
    if (size === undefined) return this.legacyGauss();
    const out = new Float64Array(sizeOf(size, 'standard_normal'));
    for (let i = 0; i < out.length; i++) out[i] = this.legacyGauss();
    return out;
  }

  /**
   * `randn(d0, d1, ...)`: `standard_normal` with the dimensions as arguments.
   *
   * @example
   * numpyRandomState(42).randn(3); // Float64Array [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]
   */
  randn(): number;
  randn(...shape: number[]): Float64Array;
  randn(...shape: number[]): number | Float64Array {
    return shape.length === 0 ? this.legacyGauss() : this.standardNormal(shape);
  }

  /**
   * `normal(loc=0.0, scale=1.0, size=None)`: `loc + scale * gauss` per value.
   *
   * @example
   * numpyRandomState(1).normal(10, 2, 3); // Float64Array(3)
   */
  normal(loc?: number, scale?: number): number;
  normal(loc: number, scale: number, size: NumpySize): Float64Array;
  normal(loc = 0, scale = 1, size?: NumpySize): number | Float64Array {
    if (!(scale >= 0)) throw argumentError('normal', `scale < 0 (got ${scale})`);
    if (size === undefined) return loc + scale * this.legacyGauss();
    const out = new Float64Array(sizeOf(size, 'normal'));
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.legacyGauss();
    return out;
  }

  /**
   * `uniform(low=0.0, high=1.0, size=None)`: `low + (high - low) * random_sample()`.
   *
   * @example
   * numpyRandomState(3).uniform(-1, 1, 4); // Float64Array(4)
   */
  uniform(low?: number, high?: number): number;
  uniform(low: number, high: number, size: NumpySize): Float64Array;
  uniform(low = 0, high = 1, size?: NumpySize): number | Float64Array {
    const range = high - low;
    if (!Number.isFinite(range)) throw argumentError('uniform', 'Range exceeds valid bounds');
    if (size === undefined) return low + range * this.mt.nextDouble();
    const out = new Float64Array(sizeOf(size, 'uniform'));
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.mt.nextDouble();
    return out;
  }

  /**
   * `randint(low, high=None, size=None, dtype=int)`: integers in [low, high) by masked
   * rejection, drawn as NumPy draws for that dtype (default `'int64'`, NumPy's `int` on Linux and
   * macOS; on Windows NumPy 1.x uses int32, which draws the same numbers for ranges below 2^32).
   *
   * Number bounds (safe integers) give numbers: one `number`, or with `size` an `Int8Array` ...
   * `Uint32Array` for the small dtypes and a `number[]` for int64/uint64 (every value is a safe
   * integer). Bigint bounds give bigints: one `bigint`, or a `BigInt64Array` / `BigUint64Array`
   * (int64/uint64) and for the small dtypes the same typed arrays as with numbers. Use bigints
   * for bounds beyond 2^53.
   *
   * @example
   * numpyRandomState(42).randint(0, 10, { size: 5 }); // [6, 3, 7, 4, 6]
   * numpyRandomState(42).randint(0n, 2n ** 62n); // a bigint
   */
  randint(low: number, high?: number, options?: { dtype?: NumpyIntegerDtype }): number;
  randint(low: bigint, high?: bigint, options?: { dtype?: NumpyIntegerDtype }): bigint;
  randint<D extends NumpyIntegerDtype = 'int64'>(
    low: number,
    high: number | undefined,
    options: { size: NumpySize; dtype?: D },
  ): NumpyIntegerArray<D, number>;
  randint<D extends NumpyIntegerDtype = 'int64'>(
    low: bigint,
    high: bigint | undefined,
    options: { size: NumpySize; dtype?: D },
  ): NumpyIntegerArray<D, bigint>;
  randint(
    low: number | bigint,
    high?: number | bigint,
    options: { size?: NumpySize; dtype?: NumpyIntegerDtype } = {},
  ): unknown {
    const dtype = options.dtype ?? 'int64';
    if (!Object.hasOwn(DTYPE_BOUNDS, dtype)) {
      throw argumentError('randint', `Unsupported dtype ${JSON.stringify(dtype)} for randint`);
    }
    const asBigInt = typeof low === 'bigint' || typeof high === 'bigint';
    let lo = toInteger(low, 'low');
    let hi: bigint;
    if (high === undefined) {
      hi = lo;
      lo = 0n;
    } else {
      hi = toInteger(high, 'high');
    }
    hi -= 1n; // the generators draw in the closed interval [low, high - 1]
    const [lowest, highest] = DTYPE_BOUNDS[dtype];
    if (lo < lowest) throw argumentError('randint', `low is out of bounds for ${dtype}`);
    if (hi > highest) throw argumentError('randint', `high is out of bounds for ${dtype}`);
    if (lo > hi) throw argumentError('randint', lo === 0n ? 'high <= 0' : 'low >= high');
    const count = options.size === undefined ? 1 : sizeOf(options.size, 'randint');
    const values = this.boundedIntegers(dtype, lo, hi - lo, count, asBigInt);
    if (options.size !== undefined) return values;
    const value = values[0]!;
    return asBigInt ? BigInt(value) : Number(value);
  }

  /**
   * `permutation(x)`: for a number n, a shuffled `arange(n)` as an `Int32Array` (a
   * `Float64Array` from 2^31 elements on); for an array, a shuffled copy as a plain array.
   *
   * @example
   * numpyRandomState(42).permutation(5); // Int32Array [1, 4, 2, 0, 3]
   * numpyRandomState(42).permutation(['a', 'b', 'c']); // a shuffled copy
   */
  permutation(n: number): Int32Array | Float64Array;
  permutation<T>(x: ArrayLike<T>): T[];
  permutation<T>(x: number | ArrayLike<T>): Int32Array | Float64Array | T[] {
    if (typeof x === 'number') {
      if (!Number.isSafeInteger(x) || x < 0) {
        throw argumentError('permutation', `negative dimensions are not allowed (got ${x})`);
      }
      // A typed array keeps the swaps in cache; NumPy's own result is an int64 array.
      const out = x < 2 ** 31 ? new Int32Array(x) : new Float64Array(x);
      for (let i = 0; i < x; i++) out[i] = i;
      this.shuffle(out);
      return out;
    }
    const out = Array.from(x);
    this.shuffle(out);
    return out;
  }

  /**
   * `shuffle(x)`, in place, along the first axis: for i from len-1 down to 1, swap x[i] with
   * x[random_interval(i)] (masked rejection in [0, i]).
   *
   * @example
   * const a = [0, 1, 2, 3, 4];
   * numpyRandomState(42).shuffle(a); // a is [1, 4, 2, 0, 3]
   */
  shuffle<T>(x: { length: number; [index: number]: T }): void {
    const mt = this.mt;
    const outputs = mt.outputs;
    let index = mt.index;
    for (let i = x.length - 1; i > 0; i--) {
      let j: number;
      if (i <= 0xffffffff) {
        // random_interval(i) with the Mersenne Twister's outputs read in place.
        const mask = 0xffffffff >>> Math.clz32(i);
        do {
          if (index >= MT19937_WORDS) {
            mt.twist();
            index = 0;
          }
          j = (outputs[index++]! & mask) >>> 0;
        } while (j > i);
      } else {
        mt.index = index;
        j = randomInterval(mt, i);
        index = mt.index;
      }
      const held = x[i]!;
      x[i] = x[j]!;
      x[j] = held;
    }
    mt.index = index;
  }

  /**
   * `choice(a, size=None, replace=True, p=None)`. `a` is a population size or an array. With
   * replacement and no `p` it is `randint(0, len, size)`; without replacement and no `p` it is
   * `permutation(len)[:size]`; `p` follows NumPy's cumulative-sum search (and, without
   * replacement, its redraw loop).
   *
   * @example
   * numpyRandomState(42).choice(10, { size: 3 }); // [6, 3, 7]
   * numpyRandomState(42).choice(['a', 'b', 'c'], { p: [0.5, 0.25, 0.25] }); // 'a'
   */
  choice(a: number, options?: { replace?: boolean; p?: ArrayLike<number> }): number;
  choice(
    a: number,
    options: { size: NumpySize; replace?: boolean; p?: ArrayLike<number> },
  ): number[];
  choice<T>(a: ArrayLike<T>, options?: { replace?: boolean; p?: ArrayLike<number> }): T;
  choice<T>(
    a: ArrayLike<T>,
    options: { size: NumpySize; replace?: boolean; p?: ArrayLike<number> },
  ): T[];
  choice<T>(
    a: number | ArrayLike<T>,
    options: { size?: NumpySize; replace?: boolean; p?: ArrayLike<number> } = {},
  ): unknown {
    const isSize = typeof a === 'number';
    const popSize = isSize ? a : a.length;
    const scalar = options.size === undefined;
    const size = scalar ? 1 : sizeOf(options.size!, 'choice');
    if (isSize && (!Number.isSafeInteger(popSize) || (popSize <= 0 && size !== 0))) {
      throw argumentError('choice', 'a must be greater than 0 unless no samples are taken');
    }
    if (!isSize && popSize === 0 && size !== 0) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_EMPTY_POPULATION',
        generator: 'numpy',
        call: 'choice',
        message: "'a' cannot be empty unless no samples are taken",
      });
    }
    const p = options.p === undefined ? undefined : checkProbabilities(options.p, popSize);
    const replace = options.replace ?? true;
    let indices: number[];
    if (replace) {
      if (p !== undefined) {
        const cdf = cumulative(p);
        indices = Array.from({ length: size }, () => searchRight(cdf, this.mt.nextDouble()));
      } else {
        indices = this.boundedIntegers('int64', 0n, BigInt(popSize) - 1n, size, false) as number[];
      }
    } else {
      if (size > popSize) {
        throw argumentError(
          'choice',
          "Cannot take a larger sample than population when 'replace=False'",
        );
      }
      if (p !== undefined) {
        indices = this.choiceWithoutReplacement(p, size);
      } else {
        indices = Array.from(this.permutation(popSize).subarray(0, size));
      }
    }
    const pick = (index: number): number | T => (isSize ? index : a[index]!);
    return scalar ? pick(indices[0]!) : indices.map((index) => pick(index));
  }

  /**
   * `bytes(length)`: `randint(0, 2**32, size=ceil(length/4), dtype=uint32)` as little-endian
   * bytes, cut to `length`.
   *
   * @example
   * numpyRandomState(0).bytes(5); // Uint8Array(5)
   */
  bytes(length: number): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw argumentError('bytes', `length must be a non-negative integer, got ${length}`);
    }
    const words = new Uint32Array(length === 0 ? 0 : Math.floor((length - 1) / 4) + 1);
    fillBounded32(this.mt, 0, 0xffffffff, words);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff;
    return out;
  }

  /** `legacy_gauss`: the polar method with the cached second value. */
  private legacyGauss(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = 0;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.mt.nextDouble() - 1;
      x2 = 2 * this.mt.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = 1;
    return f * x2;
  }

  /**
   * `count` draws in [off, off + rng] for `dtype`, through the fill NumPy uses for that dtype
   * and range. Returns the typed array of the dtype, or for int64/uint64 numbers or bigints.
   */
  private boundedIntegers(
    dtype: NumpyIntegerDtype,
    off: bigint,
    rng: bigint,
    count: number,
    asBigInt: boolean,
  ): ArrayLike<number | bigint> {
    const mt = this.mt;
    switch (dtype) {
      case 'int8':
      case 'uint8': {
        const out = dtype === 'int8' ? new Int8Array(count) : new Uint8Array(count);
        fillBoundedSmall(mt, 8, Number(off), Number(rng), out);
        return out;
      }
      case 'int16':
      case 'uint16': {
        const out = dtype === 'int16' ? new Int16Array(count) : new Uint16Array(count);
        fillBoundedSmall(mt, 16, Number(off), Number(rng), out);
        return out;
      }
      case 'bool': {
        const out = new Uint8Array(count);
        fillBoundedBool(mt, Number(off), Number(rng), out);
        return out;
      }
      case 'int32':
      case 'uint32': {
        const out = dtype === 'int32' ? new Int32Array(count) : new Uint32Array(count);
        fillBounded32(mt, Number(off), Number(rng), out);
        return out;
      }
      default: {
        const signed = dtype === 'int64';
        if (rng <= 0xffffffffn) {
          const out = new Array<number>(count);
          fillBounded32(mt, Number(off), Number(rng), out);
          if (!asBigInt) return out;
          return signed
            ? BigInt64Array.from(out, (value) => BigInt(value))
            : BigUint64Array.from(out, (value) => BigInt(value));
        }
        if (!asBigInt && rng <= BigInt(Number.MAX_SAFE_INTEGER)) {
          const out = new Array<number>(count);
          fillBounded53(mt, Number(off), Number(rng), out);
          return out;
        }
        const values = fillBounded64(mt, off, rng, count, signed);
        if (!asBigInt) return values.map(Number);
        return signed ? BigInt64Array.from(values) : BigUint64Array.from(values);
      }
    }
  }

  /** `choice(..., replace=False, p=p)`: redraw batches, keeping first occurrences. */
  private choiceWithoutReplacement(p: number[], size: number): number[] {
    if (p.filter((value) => value > 0).length < size) {
      throw argumentError('choice', 'Fewer non-zero entries in p than size');
    }
    const weights = [...p];
    const found: number[] = [];
    while (found.length < size) {
      const draws = Array.from({ length: size - found.length }, () => this.mt.nextDouble());
      for (const index of found) weights[index] = 0;
      const cdf = cumulative(weights);
      const seen = new Set<number>();
      for (const u of draws) {
        const index = searchRight(cdf, u);
        if (!seen.has(index)) {
          seen.add(index);
          found.push(index);
        }
      }
    }
    return found;
  }
}

/**
 * NumPy's legacy `numpy.random.RandomState(seed)`: same seed, same numbers, bit for bit. See
 * {@link NumpyRandomState}.
 *
 * @example
 * const rs = numpyRandomState(42); // np.random.seed(42)
 * rs.permutation(10); // np.random.permutation(10)
 * rs.randn(2, 3); // np.random.randn(2, 3), flat row-major
 */
export function numpyRandomState(seed: NumpySeed): NumpyRandomState {
  return new NumpyRandomState(seed);
}

/** Checks a `get_state()` value (tuple/list or dict form) and returns its parts. */
export function parseNumpyState(state: unknown): {
  key: number[];
  pos: number;
  hasGauss: 0 | 1;
  gauss: number;
} {
  const fail = (problem: string): never => {
    throw new PythonRandomError({
      code: 'PYTHON_RANDOM_INVALID_STATE',
      generator: 'numpy',
      call: 'set_state',
      message: `not a legacy MT19937 state: ${problem}`,
    });
  };
  let name: unknown;
  let key: unknown;
  let pos: unknown;
  let hasGauss: unknown = 0;
  let gauss: unknown = 0;
  if (Array.isArray(state)) {
    if (state.length !== 3 && state.length !== 5) return fail('expected 3 or 5 items');
    [name, key, pos] = state;
    if (state.length === 5) [, , , hasGauss, gauss] = state;
  } else if (typeof state === 'object' && state !== null) {
    const record = state as Record<string, unknown>;
    name = record.bit_generator;
    const inner = record.state as Record<string, unknown> | undefined;
    if (typeof inner !== 'object' || inner === null) return fail('no "state" object');
    key = inner.key;
    pos = inner.pos;
    hasGauss = record.has_gauss ?? 0;
    gauss = record.gauss ?? 0;
  } else {
    return fail('expected a list or an object');
  }
  if (name !== 'MT19937') return fail(`bit generator ${JSON.stringify(name)} is not MT19937`);
  if (!Array.isArray(key) && !ArrayBuffer.isView(key)) return fail('key must be a list');
  const words = Array.from(key as ArrayLike<unknown>);
  if (words.length !== MT19937_WORDS) return fail(`key must have ${MT19937_WORDS} words`);
  words.forEach((word, i) => {
    if (typeof word !== 'number' || !Number.isInteger(word) || word < 0 || word >= TWO_POW_32) {
      fail(`key[${i}] is not an integer in 0..2**32-1`);
    }
  });
  if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0 || pos > MT19937_WORDS) {
    return fail(`pos must be an integer in 0..${MT19937_WORDS}`);
  }
  if (hasGauss !== 0 && hasGauss !== 1 && hasGauss !== true && hasGauss !== false) {
    return fail('has_gauss must be 0 or 1');
  }
  if (typeof gauss !== 'number') return fail('cached_gaussian must be a number');
  return { key: words as number[], pos, hasGauss: hasGauss ? 1 : 0, gauss };
}

function checkSeedWord(value: unknown, what: string): bigint {
  const integer =
    typeof value === 'bigint'
      ? value
      : typeof value === 'number' && Number.isInteger(value)
        ? BigInt(value)
        : undefined;
  if (integer === undefined) throw seedError(`${what} must be an integer, got ${String(value)}`);
  if (integer < 0n || integer > 0xffffffffn) {
    throw seedError(`Seed must be between 0 and 2**32 - 1 (${what} is ${integer})`);
  }
  return integer;
}

function toInteger(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw argumentError(
    'randint',
    `${what} must be an integer (a safe-integer number or a bigint), got ${String(value)}`,
  );
}

/** The number of values for a NumPy `size`: the product of its dimensions. */
function sizeOf(size: NumpySize, call: string): number {
  const dims = typeof size === 'number' ? [size] : size;
  if (!Array.isArray(dims)) throw argumentError(call, 'size must be a number or a list of numbers');
  let count = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw argumentError(call, `size must hold non-negative integers, got ${String(dim)}`);
    }
    count *= dim;
  }
  return count;
}

/** NumPy's checks on `p`: one value per element, none negative or NaN, summing to 1 +- sqrt(eps). */
function checkProbabilities(p: ArrayLike<number>, popSize: number): number[] {
  const values = Array.from(p);
  if (values.length !== popSize) throw argumentError('choice', "'a' and 'p' must have same size");
  if (values.some((value) => Number.isNaN(value))) {
    throw argumentError('choice', 'probabilities contain NaN');
  }
  if (values.some((value) => value < 0)) {
    throw argumentError('choice', 'probabilities are not non-negative');
  }
  if (Math.abs(kahanSum(values) - 1) > Math.sqrt(2 ** -52)) {
    throw argumentError('choice', 'probabilities do not sum to 1');
  }
  return values;
}

/** NumPy's `kahan_sum` (used only for the sum-to-one check). */
function kahanSum(values: number[]): number {
  if (values.length === 0) return 0;
  let sum = values[0]!;
  let compensation = 0;
  for (let i = 1; i < values.length; i++) {
    const y = values[i]! - compensation;
    const t = sum + y;
    compensation = t - sum - y;
    sum = t;
  }
  return sum;
}

/** `cdf = cumsum(p); cdf /= cdf[-1]`, summed left to right as `np.cumsum` does. */
function cumulative(p: number[]): number[] {
  const cdf = new Array<number>(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    sum = i === 0 ? p[0]! : sum + p[i]!;
    cdf[i] = sum;
  }
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** `searchsorted(cdf, u, side='right')`: the first index whose value is > u. */
function searchRight(cdf: number[], u: number): number {
  let low = 0;
  let high = cdf.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (u < cdf[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

function seedError(message: string): PythonRandomError {
  return new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_SEED',
    generator: 'numpy',
    call: 'seed',
    message,
  });
}

function argumentError(call: string, message: string): PythonRandomError {
  return new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_ARGUMENT',
    generator: 'numpy',
    call,
    message,
  });
}
