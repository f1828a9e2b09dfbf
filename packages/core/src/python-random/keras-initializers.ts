import { PythonRandomError } from './python-random-error.js';
import type { TensorflowFloatDtype, TensorflowRandom } from './tensorflow-random.js';

/**
 * Keras 2's weight initializers as `tf.keras` ran them in TensorFlow 2.0 to 2.9: an unseeded
 * initializer calls one stateful TF random op (`tf.random.uniform` / `normal` /
 * `truncated_normal`), which draws its op seed from the global seed's stream. So the same
 * `tf.random.set_seed(n)` and the same layers built in the same order give the same weights.
 * (Keras 2.10 and later made unseeded initializers stateless with seeds from Python's global
 * `random`; those weights are not these.)
 */

/** A Keras initializer: its name (`'glorot_uniform'`, `'GlorotUniform'`, ...) or its config. */
export type KerasInitializerSpec =
  | string
  | { className: string; config?: Record<string, unknown> }
  | { class_name: string; config?: Record<string, unknown> };

/** Keras 2's truncated-normal stddev correction: scipy.stats.truncnorm.std(a=-2, b=2). */
export const KERAS_TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.87962566103423978;

type VarianceScalingConfig = {
  scale: number;
  mode: 'fan_in' | 'fan_out' | 'fan_avg';
  distribution: 'truncated_normal' | 'untruncated_normal' | 'uniform';
};

type Resolved =
  | { kind: 'constant'; value: number }
  | { kind: 'identity'; gain: number }
  | { kind: 'random_uniform'; minval: number; maxval: number }
  | { kind: 'random_normal'; mean: number; stddev: number }
  | { kind: 'truncated_normal'; mean: number; stddev: number }
  | ({ kind: 'variance_scaling' } & VarianceScalingConfig);

// Keras names (both spellings) of each initializer, with its defaults.
const VARIANCE_SCALING_PRESETS: Record<string, VarianceScalingConfig> = {
  glorotuniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  glorotnormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  heuniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  henormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  lecununiform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  lecunnormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/**
 * Runs a Keras 2 initializer on `tf`'s stream: the values `initializer(shape, dtype)` gives in
 * TF 2.0-2.9 after the same `tf.random.set_seed` and the same earlier random calls. Supports
 * Zeros, Ones, Constant, Identity, RandomUniform, RandomNormal, TruncatedNormal,
 * VarianceScaling and its presets (GlorotUniform/Normal, HeUniform/Normal, LecunUniform/Normal).
 * Orthogonal and initializers with an explicit `seed` throw `PYTHON_RANDOM_UNSUPPORTED`.
 *
 * @example
 * const tfr = tensorflowRandom({ seed: 7 });
 * // keras.layers.Dense(4, input_dim=3): kernel [3, 4] with glorot_uniform, bias zeros
 * const kernel = kerasInitialize(tfr, 'glorot_uniform', [3, 4]); // Float32Array(12)
 * const bias = kerasInitialize(tfr, 'zeros', [4]); // no op seed is drawn
 */
export function kerasInitialize(
  tf: TensorflowRandom,
  initializer: KerasInitializerSpec,
  shape: readonly number[],
  dtype: TensorflowFloatDtype = 'float32',
): Float32Array | Float64Array {
  const resolved = resolveKerasInitializer(initializer);
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw kerasError(
      'PYTHON_RANDOM_INVALID_ARGUMENT',
      `dtype must be float32 or float64, got ${dtype}`,
    );
  }
  const size = shape.reduce((product, dim) => product * dim, 1);
  const make = (length: number) =>
    dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
  switch (resolved.kind) {
    case 'constant':
      return make(size).fill(resolved.value);
    case 'identity': {
      if (shape.length !== 2) {
        throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', 'Identity needs a 2-D shape');
      }
      const [rows, columns] = shape as [number, number];
      const out = make(size);
      const gain = dtype === 'float32' ? Math.fround(resolved.gain) : resolved.gain;
      for (let i = 0; i < Math.min(rows, columns); i++) out[i * columns + i] = gain;
      return out;
    }
    case 'random_uniform':
      return tf.uniform(shape, { minval: resolved.minval, maxval: resolved.maxval, dtype });
    case 'random_normal':
      return tf.normal(shape, { mean: resolved.mean, stddev: resolved.stddev, dtype });
    case 'truncated_normal':
      return tf.truncatedNormal(shape, { mean: resolved.mean, stddev: resolved.stddev, dtype });
    case 'variance_scaling': {
      const [fanIn, fanOut] = computeFans(shape);
      let scale = resolved.scale;
      if (resolved.mode === 'fan_in') scale /= Math.max(1, fanIn);
      else if (resolved.mode === 'fan_out') scale /= Math.max(1, fanOut);
      else scale /= Math.max(1, (fanIn + fanOut) / 2);
      if (resolved.distribution === 'truncated_normal') {
        const stddev = Math.sqrt(scale) / KERAS_TRUNCATED_NORMAL_STDDEV_CORRECTION;
        return tf.truncatedNormal(shape, { mean: 0, stddev, dtype });
      }
      if (resolved.distribution === 'untruncated_normal') {
        return tf.normal(shape, { mean: 0, stddev: Math.sqrt(scale), dtype });
      }
      const limit = Math.sqrt(3 * scale);
      return tf.uniform(shape, { minval: -limit, maxval: limit, dtype });
    }
  }
}

/**
 * Keras' `_compute_fans(shape)`: [rows, columns] for a matrix; for convolution kernels
 * (..., in, out) the receptive field size times the last two dimensions.
 *
 * @example
 * computeFans([3, 3, 16, 32]); // [144, 288]
 */
export function computeFans(shape: readonly number[]): [fanIn: number, fanOut: number] {
  if (shape.length < 1) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  let receptiveField = 1;
  for (const dim of shape.slice(0, -2)) receptiveField *= dim;
  return [shape[shape.length - 2]! * receptiveField, shape[shape.length - 1]! * receptiveField];
}

/** Whether `kerasInitialize` draws an op seed for this initializer (random ones do). */
export function kerasInitializerIsRandom(initializer: KerasInitializerSpec): boolean {
  const kind = resolveKerasInitializer(initializer).kind;
  return kind !== 'constant' && kind !== 'identity';
}

function resolveKerasInitializer(spec: KerasInitializerSpec): Resolved {
  let name: string;
  let config: Record<string, unknown>;
  if (typeof spec === 'string') {
    name = spec;
    config = {};
  } else if (typeof spec === 'object' && spec !== null) {
    const record = spec as { className?: unknown; class_name?: unknown; config?: unknown };
    const className = record.className ?? record.class_name;
    if (typeof className !== 'string') {
      throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', 'an initializer config needs a className');
    }
    name = className;
    config = (record.config ?? {}) as Record<string, unknown>;
  } else {
    throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', `not an initializer: ${String(spec)}`);
  }
  const key = name.replace(/_/g, '').toLowerCase();
  if (config.seed !== undefined && config.seed !== null) {
    throw kerasError(
      'PYTHON_RANDOM_UNSUPPORTED',
      `${name} with an explicit seed runs a stateless op whose values depend on the Keras version; only unseeded initializers are reproduced`,
    );
  }
  const numberOf = (field: string, fallback: number): number => {
    const value = config[field] ?? fallback;
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', `${name}: ${field} must be a number`);
    }
    return value;
  };
  switch (key) {
    case 'zeros':
    case 'zero':
      return { kind: 'constant', value: 0 };
    case 'ones':
    case 'one':
      return { kind: 'constant', value: 1 };
    case 'constant':
      return { kind: 'constant', value: numberOf('value', 0) };
    case 'identity':
      return { kind: 'identity', gain: numberOf('gain', 1) };
    case 'randomuniform':
    case 'uniform':
      return {
        kind: 'random_uniform',
        minval: numberOf('minval', -0.05),
        maxval: numberOf('maxval', 0.05),
      };
    case 'randomnormal':
    case 'normal':
      return { kind: 'random_normal', mean: numberOf('mean', 0), stddev: numberOf('stddev', 0.05) };
    case 'truncatednormal':
      return {
        kind: 'truncated_normal',
        mean: numberOf('mean', 0),
        stddev: numberOf('stddev', 0.05),
      };
    case 'variancescaling': {
      const scale = numberOf('scale', 1);
      const mode = config.mode ?? 'fan_in';
      let distribution = config.distribution ?? 'truncated_normal';
      if (!(scale > 0)) {
        throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', `scale must be positive, got ${scale}`);
      }
      if (mode !== 'fan_in' && mode !== 'fan_out' && mode !== 'fan_avg') {
        throw kerasError('PYTHON_RANDOM_INVALID_ARGUMENT', `invalid mode ${String(mode)}`);
      }
      if (distribution === 'normal') distribution = 'truncated_normal'; // Keras 2's alias
      if (
        distribution !== 'truncated_normal' &&
        distribution !== 'untruncated_normal' &&
        distribution !== 'uniform'
      ) {
        throw kerasError(
          'PYTHON_RANDOM_INVALID_ARGUMENT',
          `invalid distribution ${String(distribution)}`,
        );
      }
      return { kind: 'variance_scaling', scale, mode, distribution };
    }
    case 'orthogonal':
      throw kerasError(
        'PYTHON_RANDOM_UNSUPPORTED',
        'Orthogonal runs a QR decomposition (Eigen/LAPACK) whose last bits are not reproduced',
      );
    default: {
      const preset = VARIANCE_SCALING_PRESETS[key];
      if (preset !== undefined) return { kind: 'variance_scaling', ...preset };
      throw kerasError(
        'PYTHON_RANDOM_INVALID_ARGUMENT',
        `unknown initializer ${JSON.stringify(name)}`,
      );
    }
  }
}

function kerasError(
  code: 'PYTHON_RANDOM_INVALID_ARGUMENT' | 'PYTHON_RANDOM_UNSUPPORTED',
  message: string,
): PythonRandomError {
  return new PythonRandomError({ code, generator: 'keras', call: 'initializer', message });
}
