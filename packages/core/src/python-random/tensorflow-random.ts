import type { JsonValue } from '../json-value.js';
import { PhiloxRandom } from './philox.js';
import { PythonRandom, type PythonRandomState } from './python-random.js';
import { PythonRandomError } from './python-random-error.js';
import { fillPhilox, type PhiloxDistribution } from './tensorflow-distributions.js';

/** `random_seed.DEFAULT_GRAPH_SEED`, used with an op seed when no global seed is set. */
export const TF_DEFAULT_GRAPH_SEED = 87654321;
/** `random_seed._MAXINT32` = 2^31 - 1: seeds are taken modulo this. */
export const TF_MAXINT32 = 2 ** 31 - 1;

/** A seed TensorFlow accepts: a Python int (a safe-integer number or a bigint). */
export type TensorflowSeed = number | bigint;

export interface TensorflowRandomOptions {
  /**
   * The global seed, as given to `tf.random.set_seed(seed)`; `null` for none (then every op
   * needs its own `seed`, as TF would otherwise pick a random one).
   */
  seed: TensorflowSeed | null;
  /**
   * Which CPython drew the eager op seeds: 3 (default) uses `random.Random.randint`
   * (`_randbelow`), 2 uses CPython 2.7's `int(random() * n)`. TF 2.0 and 2.1 also ran on 2.7.
   */
  python?: 2 | 3;
}

/** The float dtypes of `uniform` / `normal` / `truncatedNormal`. */
export type TensorflowFloatDtype = 'float32' | 'float64';
/** The integer dtypes of `uniform`. */
export type TensorflowIntDtype = 'int32' | 'int64';

/**
 * The JSON state of a {@link TensorflowRandom}: the global seed, the Python `random.Random`
 * the eager context draws op seeds from (`getstate()` form, `null` without a global seed), and
 * the eager kernel cache (per op and seed pair, the 128-bit blocks already reserved).
 */
export type TensorflowRandomState = {
  kind: 'reprokit/tensorflow-random';
  version: 1;
  python: 2 | 3;
  globalSeed: number | string | null;
  rng: PythonRandomState | null;
  kernels: [key: string, reserved: number][];
};

type Shape = number | readonly number[];

/**
 * TensorFlow 2.x's stateful random ops as they run eagerly on CPU: same global seed, same
 * calls in the same order, same numbers. Op seeds come from `random.Random(global_seed)`
 * (`context.internal_operation_seed()`: `randint(0, 2**31 - 1)` per op), the seed pair is
 * normalised as `random_seed.get_seed` does (`% (2**31 - 1)`, `(0, 0)` -> `(0, 2**31 - 1)`), the
 * kernel runs Philox4x32-10 with key = seed and counter = [0, 0, seed2], and an op repeated with
 * the same explicit seed continues the cached kernel's stream (256 blocks reserved per element),
 * as eager TF does until the next `set_seed`.
 *
 * Results are flat row-major typed arrays (`Float32Array` for float32).
 *
 * @example
 * const tfr = tensorflowRandom({ seed: 5 }); // tf.random.set_seed(5)
 * tfr.normal([2, 2], { seed: 1 }); // Float32Array [-1.3768897, -0.01258316, -0.169515, 1.0824056]
 */
export class TensorflowRandom {
  readonly python: 2 | 3;
  private globalSeedValue: bigint | null = null;
  private rng: PythonRandom | null = null;
  /** The eager kernel cache: blocks reserved so far, per op, dtype and seed pair. */
  private kernels = new Map<string, number>();

  constructor(options: TensorflowRandomOptions) {
    const python = options.python ?? 3;
    if (python !== 2 && python !== 3) {
      throw argumentError('tensorflowRandom', `python must be 2 or 3, got ${String(python)}`);
    }
    this.python = python;
    this.setSeed(options.seed);
  }

  /** The global seed (`tf.random.set_seed`'s argument), or null. */
  get globalSeed(): bigint | null {
    return this.globalSeedValue;
  }

  /**
   * `tf.random.set_seed(seed)`: a fresh `random.Random(seed)` for op seeds, and an empty kernel
   * cache (TF clears its caches too). `null` unsets the global seed.
   *
   * @example
   * tfr.setSeed(42);
   */
  setSeed(seed: TensorflowSeed | null): void {
    if (seed === null) {
      this.globalSeedValue = null;
      this.rng = null;
    } else {
      const value = toSeed(seed, 'tf.random.set_seed');
      this.globalSeedValue = value;
      this.rng = new PythonRandom(value);
    }
    this.kernels.clear();
  }

  /**
   * `context.internal_operation_seed()`: the next op seed from the global seed's
   * `random.Random` (Python 3: `randint(0, 2**31 - 1)`; Python 2.7: `int(random() * 2**31)`).
   */
  internalOperationSeed(): number {
    if (this.rng === null) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_INVALID_SEED',
        generator: 'tensorflow',
        call: 'internal_operation_seed',
        message: 'no global seed: call setSeed(n) first, as tf.random.set_seed(n)',
      });
    }
    return this.python === 3
      ? this.rng.randint(0, TF_MAXINT32)
      : Math.floor(this.rng.random() * (TF_MAXINT32 + 1));
  }

  /**
   * `random_seed.get_seed(op_seed)`: the (seed, seed2) pair an op runs with. Draws an op seed
   * when none is given and a global seed is set. Without either seed TF would be
   * nondeterministic, so this throws.
   *
   * @example
   * tensorflowRandom({ seed: 7 }).getSeed(); // [7, 1390851128]
   */
  getSeed(opSeed?: TensorflowSeed | null): [number, number] {
    let seeds: [number, number];
    if (this.globalSeedValue !== null) {
      const op =
        opSeed === undefined || opSeed === null
          ? BigInt(this.internalOperationSeed())
          : toSeed(opSeed, 'seed');
      seeds = [truncateSeed(this.globalSeedValue), truncateSeed(op)];
    } else if (opSeed !== undefined && opSeed !== null) {
      seeds = [TF_DEFAULT_GRAPH_SEED, truncateSeed(toSeed(opSeed, 'seed'))];
    } else {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_INVALID_SEED',
        generator: 'tensorflow',
        call: 'get_seed',
        message:
          'neither a global seed nor an op seed: TensorFlow would pick random seeds here; set one',
      });
    }
    // The C++ kernels read (0, 0) as "nondeterministic"; Python avoids it.
    return seeds[0] === 0 && seeds[1] === 0 ? [0, TF_MAXINT32] : seeds;
  }

  /**
   * `tf.random.uniform(shape, minval=0, maxval=None, dtype=float32, seed=None)`.
   * Floats: 23 (float32) or 52 (float64) random mantissa bits in [0, 1), then in the dtype's
   * arithmetic `u * (maxval - minval) + minval` (or `u * maxval` when minval is 0, and `u` for
   * [0, 1)). Integers (`dtype: 'int32' | 'int64'`, `maxval` required): `minval + bits % range`.
   *
   * @example
   * tensorflowRandom({ seed: 7 }).uniform([3, 4], { minval: -1, maxval: 1 });
   */
  uniform(
    shape: Shape,
    options?: {
      minval?: number;
      maxval?: number;
      dtype?: TensorflowFloatDtype;
      seed?: TensorflowSeed | null;
    },
  ): Float32Array | Float64Array;
  uniform(
    shape: Shape,
    options: { minval?: number; maxval: number; dtype: 'int32'; seed?: TensorflowSeed | null },
  ): Int32Array;
  uniform(
    shape: Shape,
    options: {
      minval?: number | bigint;
      maxval: number | bigint;
      dtype: 'int64';
      seed?: TensorflowSeed | null;
    },
  ): BigInt64Array;
  uniform(
    shape: Shape,
    options: {
      minval?: number | bigint;
      maxval?: number | bigint;
      dtype?: TensorflowFloatDtype | TensorflowIntDtype;
      seed?: TensorflowSeed | null;
    } = {},
  ): Float32Array | Float64Array | Int32Array | BigInt64Array {
    const dtype = options.dtype ?? 'float32';
    const size = sizeOf(shape, 'tf.random.uniform');
    if (dtype === 'int32' || dtype === 'int64') {
      if (options.maxval === undefined) {
        throw argumentError('tf.random.uniform', `Must specify maxval for integer dtype ${dtype}`);
      }
      const low = BigInt(toInteger(options.minval ?? 0, 'minval'));
      const high = BigInt(toInteger(options.maxval, 'maxval'));
      const [lowest, highest] =
        dtype === 'int32' ? [-(2n ** 31n), 2n ** 31n - 1n] : [-(2n ** 63n), 2n ** 63n - 1n];
      if (low < lowest || high > highest) {
        throw argumentError('tf.random.uniform', `minval/maxval do not fit ${dtype}`);
      }
      if (!(low < high)) {
        throw argumentError('tf.random.uniform', `Need minval < maxval, got ${low} >= ${high}`);
      }
      const [seed, seed2] = this.getSeed(options.seed);
      const distribution: PhiloxDistribution =
        dtype === 'int32'
          ? { kind: 'uniform-int32', low: Number(low), range: Number(high - low) }
          : { kind: 'uniform-int64', low, range: high - low };
      return this.runKernel('RandomUniformInt', dtype, seed, seed2, distribution, size);
    }
    checkFloatDtype(dtype, 'tf.random.uniform');
    const minval = toFloat(options.minval ?? 0, 'minval');
    const maxval = toFloat(options.maxval ?? 1, 'maxval');
    const [seed, seed2] = this.getSeed(options.seed);
    const raw = this.runKernel(
      'RandomUniform',
      dtype,
      seed,
      seed2,
      { kind: 'uniform', dtype },
      size,
    );
    const floats = raw as Float32Array | Float64Array;
    const round = dtype === 'float32' ? Math.fround : (x: number) => x;
    if (minval === 0 && Object.is(minval, 0)) {
      // random_ops.py: minval is the int 0, so only `result * maxval` (or nothing for [0, 1)).
      if (maxval !== 1) {
        const max = round(maxval);
        for (let i = 0; i < floats.length; i++) floats[i] = round(floats[i]! * max);
      }
      return floats;
    }
    const min = round(minval);
    const range = round(round(maxval) - min);
    for (let i = 0; i < floats.length; i++) floats[i] = round(round(floats[i]! * range) + min);
    return floats;
  }

  /**
   * `tf.random.normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None)`: Box-Muller on
   * Philox words (`RandomStandardNormal`), then `rnd * stddev + mean` in the dtype.
   *
   * @example
   * tensorflowRandom({ seed: 5 }).normal([2, 2], { seed: 1 });
   */
  normal(
    shape: Shape,
    options: {
      mean?: number;
      stddev?: number;
      dtype?: TensorflowFloatDtype;
      seed?: TensorflowSeed | null;
    } = {},
  ): Float32Array | Float64Array {
    return this.normalLike('RandomStandardNormal', 'normal', 'tf.random.normal', shape, options);
  }

  /**
   * `tf.random.truncated_normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None)`:
   * normals redrawn until |x| < 2 (`TruncatedNormal`), then `rnd * stddev + mean`.
   *
   * @example
   * tensorflowRandom({ seed: 3 }).truncatedNormal([10], { stddev: 0.05 });
   */
  truncatedNormal(
    shape: Shape,
    options: {
      mean?: number;
      stddev?: number;
      dtype?: TensorflowFloatDtype;
      seed?: TensorflowSeed | null;
    } = {},
  ): Float32Array | Float64Array {
    return this.normalLike(
      'TruncatedNormal',
      'truncated-normal',
      'tf.random.truncated_normal',
      shape,
      options,
    );
  }

  /**
   * The state as JSON, for `setState` here or in another process.
   *
   * @example
   * const saved = JSON.stringify(tfr.getState());
   */
  getState(): TensorflowRandomState {
    const seed = this.globalSeedValue;
    return {
      kind: 'reprokit/tensorflow-random',
      version: 1,
      python: this.python,
      globalSeed:
        seed === null
          ? null
          : seed >= BigInt(Number.MIN_SAFE_INTEGER) && seed <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(seed)
            : seed.toString(),
      rng: this.rng === null ? null : this.rng.getstate(),
      kernels: [...this.kernels],
    };
  }

  /**
   * Puts back a state from `getState()`. A malformed state throws
   * `PYTHON_RANDOM_INVALID_STATE` and changes nothing.
   */
  setState(state: unknown): void {
    const parsed = parseTensorflowState(state, this.python);
    this.globalSeedValue = parsed.globalSeed;
    this.rng = parsed.rng;
    this.kernels = parsed.kernels;
  }

  private normalLike(
    op: string,
    kind: 'normal' | 'truncated-normal',
    call: string,
    shape: Shape,
    options: {
      mean?: number;
      stddev?: number;
      dtype?: TensorflowFloatDtype;
      seed?: TensorflowSeed | null;
    },
  ): Float32Array | Float64Array {
    const dtype = options.dtype ?? 'float32';
    checkFloatDtype(dtype, call);
    const size = sizeOf(shape, call);
    const round = dtype === 'float32' ? Math.fround : (x: number) => x;
    const mean = round(toFloat(options.mean ?? 0, 'mean'));
    const stddev = round(toFloat(options.stddev ?? 1, 'stddev'));
    const [seed, seed2] = this.getSeed(options.seed);
    const raw = this.runKernel(op, dtype, seed, seed2, { kind, dtype }, size) as
      | Float32Array
      | Float64Array;
    for (let i = 0; i < raw.length; i++) raw[i] = round(round(raw[i]! * stddev) + mean);
    return raw;
  }

  /**
   * Runs one op through the eager kernel cache: the kernel for (op, dtype, seed, seed2) starts
   * at Philox(seed, seed2) and reserves 256 blocks per output element on every run.
   */
  private runKernel(
    op: string,
    dtype: string,
    seed: number,
    seed2: number,
    distribution: PhiloxDistribution,
    size: number,
  ): Float32Array | Float64Array | Int32Array | BigInt64Array {
    const key = `${op}:${dtype}:${seed}:${seed2}`;
    const reserved = this.kernels.get(key) ?? 0;
    const base = PhiloxRandom.fromSeeds(seed, seed2);
    base.skip(reserved);
    this.kernels.set(key, reserved + size * 256);
    return fillPhilox(base, distribution, size);
  }
}

/**
 * TensorFlow 2.x eager random ops with a global seed. See {@link TensorflowRandom}.
 *
 * @example
 * const tfr = tensorflowRandom({ seed: 7, python: 3 }); // tf.random.set_seed(7) on Python 3
 * tfr.getSeed(); // [7, 1390851128]: the first op's seed pair
 */
export function tensorflowRandom(options: TensorflowRandomOptions): TensorflowRandom {
  if (typeof options !== 'object' || options === null || !('seed' in options)) {
    throw argumentError(
      'tensorflowRandom',
      'pass { seed } (the tf.random.set_seed value, or null for none)',
    );
  }
  return new TensorflowRandom(options);
}

/** `seed % (2**31 - 1)` with Python's sign rule (the result is never negative). */
function truncateSeed(seed: bigint): number {
  const modulus = BigInt(TF_MAXINT32);
  return Number(((seed % modulus) + modulus) % modulus);
}

function parseTensorflowState(
  state: unknown,
  python: 2 | 3,
): { globalSeed: bigint | null; rng: PythonRandom | null; kernels: Map<string, number> } {
  const fail = (problem: string): never => {
    throw new PythonRandomError({
      code: 'PYTHON_RANDOM_INVALID_STATE',
      generator: 'tensorflow',
      call: 'setState',
      message: `not a state from TensorflowRandom.getState(): ${problem}`,
    });
  };
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    return fail('expected an object');
  }
  const record = state as Record<string, JsonValue | undefined>;
  if (record.kind !== 'reprokit/tensorflow-random' || record.version !== 1) {
    return fail('kind must be "reprokit/tensorflow-random" and version 1');
  }
  if (record.python !== python) {
    return fail(
      `it was taken with python: ${String(record.python)}, this one is python: ${python}`,
    );
  }
  let globalSeed: bigint | null = null;
  if (record.globalSeed !== null) {
    try {
      globalSeed = BigInt(record.globalSeed as number | string);
    } catch {
      return fail('globalSeed must be an integer, a string of digits or null');
    }
  }
  let rng: PythonRandom | null = null;
  if (globalSeed !== null) {
    rng = new PythonRandom(0);
    try {
      rng.setstate(record.rng);
    } catch (cause) {
      return fail(`rng: ${(cause as Error).message}`);
    }
  } else if (record.rng !== null) {
    return fail('rng must be null without a global seed');
  }
  const kernels = new Map<string, number>();
  if (!Array.isArray(record.kernels)) return fail('kernels must be a list');
  for (const entry of record.kernels) {
    if (
      !Array.isArray(entry) ||
      typeof entry[0] !== 'string' ||
      typeof entry[1] !== 'number' ||
      !Number.isSafeInteger(entry[1]) ||
      entry[1] < 0
    ) {
      return fail('each kernel entry must be [key, reserved blocks]');
    }
    kernels.set(entry[0], entry[1]);
  }
  return { globalSeed, rng, kernels };
}

function toSeed(value: unknown, call: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_SEED',
    generator: 'tensorflow',
    call,
    message: `a seed must be an integer (a safe-integer number or a bigint), got ${String(value)}`,
  });
}

function toInteger(value: unknown, what: string): number | bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw argumentError('tf.random.uniform', `${what} must be an integer, got ${String(value)}`);
}

function toFloat(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  throw argumentError('tf.random', `${what} must be a number, got ${String(value)}`);
}

function checkFloatDtype(dtype: string, call: string): void {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw argumentError(
      call,
      `dtype ${JSON.stringify(dtype)} is not supported (float32 and float64 are; float16/bfloat16 are not reproduced)`,
    );
  }
}

function sizeOf(shape: Shape, call: string): number {
  const dims = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(dims)) throw argumentError(call, 'shape must be a number or a list of sizes');
  let size = 1;
  for (const dim of dims) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw argumentError(call, `shape must hold non-negative integers, got ${String(dim)}`);
    }
    size *= dim;
  }
  return size;
}

function argumentError(call: string, message: string): PythonRandomError {
  return new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_ARGUMENT',
    generator: 'tensorflow',
    call,
    message,
  });
}
