import {
  type KerasInitializerSpec,
  kerasInitialize,
  type TensorflowRandom,
} from '@reprokit/core/python';
import type { PropertyPatches } from './property-patches.js';

/**
 * With `tfjsSeedControl(tf, { initializers: 'keras' })`, unseeded tfjs initializers return the
 * values Keras 2 (TF 2.0-2.9) gives after `tf.random.set_seed(root)` for the same layers built in
 * the same order: each random initializer call takes the next op seed from the control's
 * `TensorflowRandom` and runs core's `kerasInitialize`, instead of tfjs' own random op.
 *
 * tfjs names map to Keras ones: VarianceScaling `fanIn`/`fanOut`/`fanAvg` -> `fan_in`/...,
 * distribution `normal` and `truncatedNormal` -> Keras' `truncated_normal` (which divides the
 * stddev by 0.87962566103423978, as Keras 2's GlorotNormal, HeNormal and LecunNormal do),
 * `uniform` -> `uniform`. Orthogonal takes Keras' normal matrix and runs tfjs' own QR on it
 * (close to Keras, not bit-exact; the op-seed stream stays in step). Initializers with an
 * explicit seed, and non-float32 dtypes, run tfjs' own code and draw no op seed (Keras' seeded
 * initializers are stateless and draw none either).
 */

/** The initializer classes whose `apply` draws random values in tfjs. */
const RANDOM_INITIALIZERS = [
  'RandomUniform',
  'RandomNormal',
  'TruncatedNormal',
  'VarianceScaling',
  'Orthogonal',
] as const;

type Method = (...args: unknown[]) => unknown;

/** The few tfjs functions the hooks call to make tensors (structural, no tfjs import). */
export interface TfjsTensorFactory {
  tensor(values: Float32Array, shape: number[], dtype: 'float32'): unknown;
  tidy<T>(fn: () => T): T;
  linalg: { qr(x: unknown, fullMatrices?: boolean): [unknown, unknown] };
  mul(a: unknown, b: unknown): unknown;
  scalar(value: number): unknown;
}

interface TfjsInitializer {
  seed?: unknown;
  minval?: number;
  maxval?: number;
  mean?: number;
  stddev?: number;
  scale?: number;
  mode?: string;
  distribution?: string;
  gain?: number;
  constructor: { className?: string };
}

interface TensorLike {
  flatten(): TensorLike;
  stridedSlice(begin: number[], end: number[], strides: number[]): TensorLike;
  sign(): TensorLike;
  transpose(): TensorLike;
  reshape(shape: number[]): TensorLike;
}

/**
 * Wraps `apply` of the random initializer classes (found in tfjs' serialization registry, so
 * no layer is constructed). `keras()` returns the served control's generator, or `undefined`
 * when that control is not in Keras mode (then tfjs' code, or the explicit-seed hook below it,
 * runs as before).
 */
export function installKerasInitializerHooks(
  patches: PropertyPatches,
  tf: TfjsTensorFactory,
  classNameMap: Record<string, unknown>,
  keras: () => TensorflowRandom | undefined,
): void {
  const wrapped = new Set<object>();
  for (const className of RANDOM_INITIALIZERS) {
    const owner = methodOwner(classNameMap[className], 'apply');
    if (owner === undefined || wrapped.has(owner)) continue;
    wrapped.add(owner);
    patches.replace<Method>(
      owner,
      'apply',
      (original) =>
        function applyAsKeras(this: TfjsInitializer, ...args: unknown[]) {
          const generator = keras();
          const shape = args[0] as number[];
          const dtype = args[1];
          const unseeded = this.seed === undefined || this.seed === null;
          if (
            generator === undefined ||
            !unseeded ||
            (dtype !== undefined && dtype !== 'float32')
          ) {
            return original.apply(this, args);
          }
          if (this.constructor.className === 'Orthogonal') {
            return orthogonal(tf, generator, shape, this.gain ?? 1);
          }
          const values = kerasInitialize(generator, kerasSpecOf(this), shape, 'float32');
          return tf.tensor(values as Float32Array, [...shape], 'float32');
        },
    );
  }
}

/** The Keras initializer a tfjs initializer instance stands for. */
export function kerasSpecOf(initializer: TfjsInitializer): KerasInitializerSpec {
  const className = initializer.constructor.className;
  switch (className) {
    case 'RandomUniform':
      return {
        className,
        config: { minval: initializer.minval, maxval: initializer.maxval },
      };
    case 'RandomNormal':
    case 'TruncatedNormal':
      return { className, config: { mean: initializer.mean, stddev: initializer.stddev } };
    default: {
      // VarianceScaling and its presets (GlorotUniform, HeNormal, ...): tfjs stores the preset's
      // scale, mode and distribution on the instance.
      const mode = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' }[
        initializer.mode ?? 'fanIn'
      ];
      const distribution = initializer.distribution === 'uniform' ? 'uniform' : 'truncated_normal';
      return {
        className: 'VarianceScaling',
        config: { scale: initializer.scale ?? 1, mode, distribution },
      };
    }
  }
}

/**
 * Keras 2's Orthogonal: a normal matrix of shape (max(rows, cols), min(rows, cols)) from the
 * next op seed (exactly Keras' values), then QR, Q times the signs of R's diagonal, transposed
 * when rows < cols, times gain. The QR runs in tfjs, so the result is close to Keras', not
 * bit for bit.
 */
function orthogonal(
  tf: TfjsTensorFactory,
  generator: TensorflowRandom,
  shape: number[],
  gain: number,
): unknown {
  const rows = shape.slice(0, -1).reduce((product, dim) => product * dim, 1);
  const columns = shape[shape.length - 1]!;
  const flatShape = [Math.max(rows, columns), Math.min(rows, columns)];
  const normal = generator.normal(flatShape) as Float32Array;
  return tf.tidy(() => {
    const matrix = tf.tensor(normal, flatShape, 'float32');
    const [qr, r] = tf.linalg.qr(matrix, false) as [TensorLike, TensorLike];
    const size = Math.min(rows, columns);
    const diagonal = r.flatten().stridedSlice([0], [size * size], [size + 1]);
    let q = tf.mul(qr, diagonal.sign()) as TensorLike;
    if (rows < columns) q = q.transpose();
    return tf.mul(tf.scalar(gain), q.reshape(shape));
  });
}

/** The prototype in the class's chain that owns `method`, from a registry entry `[class, fromConfig]`. */
function methodOwner(entry: unknown, method: string): object | undefined {
  const cls = Array.isArray(entry) ? entry[0] : undefined;
  let prototype: unknown = (cls as { prototype?: unknown } | undefined)?.prototype;
  while (typeof prototype === 'object' && prototype !== null && prototype !== Object.prototype) {
    if (Object.hasOwn(prototype, method)) {
      return typeof (prototype as Record<string, unknown>)[method] === 'function'
        ? prototype
        : undefined;
    }
    prototype = Object.getPrototypeOf(prototype);
  }
  return undefined;
}
