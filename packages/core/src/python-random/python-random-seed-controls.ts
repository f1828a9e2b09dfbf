import type { JsonValue } from '../json-value.js';
import type { SeedContext, SeedControl } from '../seed/seed-control.js';
import type { NumpyRandomState } from './numpy-random-state.js';
import type { PythonRandom } from './python-random.js';
import { PythonRandomError } from './python-random-error.js';
import type { TensorflowRandom } from './tensorflow-random.js';

/** Options of the generator seed controls. */
export interface GeneratorSeedControlOptions {
  /** The control's name in `seedEverything` and its snapshots (must be unique per scope). */
  name?: string;
  /**
   * `'root'` (default): seed the generator with the root seed as it is, so
   * `seedEverything(42)` draws what Python draws after `random.seed(42)` /
   * `np.random.seed(42)` / `tf.random.set_seed(42)` (as `keras.utils.set_random_seed(42)` seeds
   * all three with the same number). `'derived'`: with `deriveSeed(root, name)`, like every
   * other control (independent streams, but no longer Python's numbers for that root).
   */
  seedFrom?: 'root' | 'derived';
}

/** A seed control around one generator: `snapshot()` is the generator's JSON state. */
export interface GeneratorSeedControl<G> extends SeedControl {
  /** The generator this control seeds; draw from it directly. */
  readonly generator: G;
  seed(seed: number, context?: SeedContext): void;
  snapshot(): JsonValue;
  restore(state: JsonValue): void;
}

function generatorControl<G>(
  generator: G,
  defaultName: string,
  options: GeneratorSeedControlOptions,
  ops: {
    seed(value: number | string): void;
    snapshot(): JsonValue;
    restore(state: JsonValue): void;
  },
): GeneratorSeedControl<G> {
  const seedFrom = options.seedFrom ?? 'root';
  return {
    name: options.name ?? defaultName,
    generator,
    seed(seed: number, context?: SeedContext) {
      ops.seed(seedFrom === 'root' && context !== undefined ? context.root : seed);
    },
    snapshot: ops.snapshot,
    restore: ops.restore,
  };
}

/**
 * Puts a {@link PythonRandom} under `seedEverything`: seeding calls `random.seed(root)` (or the
 * derived seed), `snapshot()` is `getstate()` (Python's `[3, [...625], gauss_next]`) and
 * `restore()` is `setstate()`. Nothing global is patched, so there is no `release()`.
 *
 * @example
 * const py = pythonRandom(0);
 * const scope = seedEverything(42, { controls: [pythonRandomSeedControl(py)] });
 * py.random(); // 0.6394267984578837, as random.seed(42); random.random()
 */
export function pythonRandomSeedControl(
  generator: PythonRandom,
  options: GeneratorSeedControlOptions = {},
): GeneratorSeedControl<PythonRandom> {
  return generatorControl(generator, 'python-random', options, {
    seed: (value) => generator.seed(value),
    snapshot: () => generator.getstate() as unknown as JsonValue,
    restore: (state) => generator.setstate(state),
  });
}

/**
 * Puts a {@link NumpyRandomState} under `seedEverything`: seeding calls `np.random.seed(root)`
 * (or the derived seed; a string root is refused, as NumPy refuses it), `snapshot()` is
 * `get_state()` as JSON and `restore()` is `set_state()`.
 *
 * @example
 * const np = numpyRandomState(0);
 * seedEverything(42, { controls: [numpyRandomStateSeedControl(np)] });
 * np.rand(); // 0.3745401188473625, as np.random.seed(42); np.random.rand()
 */
export function numpyRandomStateSeedControl(
  generator: NumpyRandomState,
  options: GeneratorSeedControlOptions = {},
): GeneratorSeedControl<NumpyRandomState> {
  return generatorControl(generator, 'numpy', options, {
    seed: (value) => {
      if (typeof value === 'string') {
        throw new PythonRandomError({
          code: 'PYTHON_RANDOM_INVALID_SEED',
          generator: 'numpy',
          call: 'seed',
          message: `NumPy cannot be seeded with the string root ${JSON.stringify(value)}; use a number root or seedFrom: 'derived'`,
        });
      }
      generator.seed(value);
    },
    snapshot: () => generator.getState() as unknown as JsonValue,
    restore: (state) => generator.setState(state),
  });
}

/**
 * Puts a {@link TensorflowRandom} under `seedEverything`: seeding calls
 * `tf.random.set_seed(root)` (or the derived seed), `snapshot()` is `getState()` (op-seed stream
 * and kernel cache) and `restore()` is `setState()`.
 *
 * @example
 * const tfr = tensorflowRandom({ seed: null });
 * seedEverything(7, { controls: [tensorflowRandomSeedControl(tfr)] });
 * kerasInitialize(tfr, 'glorot_uniform', [3, 4]); // Keras' Dense(4) kernel after set_seed(7)
 */
export function tensorflowRandomSeedControl(
  generator: TensorflowRandom,
  options: GeneratorSeedControlOptions = {},
): GeneratorSeedControl<TensorflowRandom> {
  return generatorControl(generator, 'tensorflow', options, {
    seed: (value) => generator.setSeed(value as number),
    snapshot: () => generator.getState() as unknown as JsonValue,
    restore: (state) => generator.setState(state),
  });
}
