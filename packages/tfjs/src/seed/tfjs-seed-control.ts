import type { JsonValue, SeedContext, SeedControl } from '@reprokit/core';
import { type TensorflowRandom, tensorflowRandom } from '@reprokit/core/python';
import type { TfjsModule } from '../tfjs-module.js';
import {
  DeterminismAudit,
  type DeterminismAuditMode,
  type DeterminismFinding,
} from './determinism-audit.js';
import { isSeed, SeedStreams } from './seed-streams.js';
import { type HubClient, TfjsPatchHub } from './tfjs-patch-hub.js';
import { TfjsSeedError } from './tfjs-seed-error.js';

export interface TfjsSeedControlOptions {
  /** Determinism audit; default `'warn'`. See {@link DeterminismAuditMode}. */
  audit?: DeterminismAuditMode;
  /** Receives each distinct finding once in `'warn'` mode; default `console.warn(finding.message)`. */
  onFinding?: (finding: DeterminismFinding) => void;
  /**
   * What to do with a `seed` given to an initializer or a `Dropout` layer: `'keep'` (default)
   * lets tfjs use it (the audit reports reuse and fixed dropout masks); `'replace'` ignores
   * it and draws from the control stream instead, one fresh seed per tensor and per step,
   * which removes correlated layers and repeated masks. Seeds passed straight to
   * `tf.random*` ops and `dataset.shuffle` are always kept.
   */
  explicitSeeds?: 'keep' | 'replace';
  /**
   * `'tfjs'` (default): initializers draw from the control's `ops` stream with tfjs' own code.
   * `'keras'`: unseeded initializers give the weights Keras 2 (TensorFlow 2.0-2.9) gives after
   * `tf.random.set_seed(root)` to the same layers built in the same order, where `root` is the
   * root seed of `seedEverything(root, ...)` as it is (or the seed of a direct `seed(n)` call).
   * See docs/seed-control.md, "Keras initializers".
   */
  initializers?: 'tfjs' | 'keras';
  /**
   * With `initializers: 'keras'`: the CPython that drew TF's op seeds, 3 (default) or 2 (TF 2.0
   * and 2.1 on Python 2.7 drew them differently).
   */
  python?: 2 | 3;
}

/** The control returned by {@link tfjsSeedControl}: a `SeedControl` plus the audit's findings. */
export interface TfjsSeedControl extends SeedControl {
  readonly name: 'tfjs';
  seed(seed: number, context?: SeedContext): void;
  snapshot(): JsonValue;
  restore(state: JsonValue): void;
  release(): void;
  /** True between `seed()`/`restore()` and `release()`: tfjs is patched. */
  readonly active: boolean;
  /** Everything the audit found so far (all modes but `'off'`). */
  findings(): readonly DeterminismFinding[];
}

/**
 * A `SeedControl` that makes TensorFlow.js reproducible: layer initializers, Dropout,
 * GaussianNoise, GaussianDropout, AlphaDropout, the `tf.random*` ops called without a seed,
 * `model.fit` shuffling and unseeded `tf.data` shuffles all draw from streams derived from
 * the seed it is given. It patches tfjs internals (the engine's scope methods, `tf.util`
 * shuffles, `tf.data.Dataset.prototype.shuffle`, and to watch explicit seeds the
 * initializer and Dropout prototypes) on `seed()` or `restore()`; `release()` puts every original back
 * once no other tfjs control is active (the most recently seeded control is the one served).
 * Pass the module itself; see docs/seed-control.md for what is and is not covered.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * const scope = seedEverything(42, { controls: [tfjsSeedControl(tf)] });
 * const model = buildModel();               // same initial weights every run
 * await model.fit(xs, ys, { epochs: 2 });   // same dropout masks and batch order
 * const state = scope.snapshot();           // store in the checkpoint for exact resume
 * scope.release();
 */
export function tfjsSeedControl(
  tf: TfjsModule,
  options: TfjsSeedControlOptions = {},
): TfjsSeedControl {
  const auditMode = options.audit ?? 'warn';
  if (auditMode !== 'warn' && auditMode !== 'error' && auditMode !== 'off') {
    throw new TfjsSeedError({
      code: 'TFJS_SEED_INVALID',
      message: `option "audit" must be 'warn', 'error' or 'off', got ${JSON.stringify(auditMode)}`,
    });
  }
  const audit = new DeterminismAudit(
    auditMode,
    options.onFinding ?? ((finding) => console.warn(`[reprokit] [tfjs-seed] ${finding.message}`)),
  );
  const explicitSeeds = options.explicitSeeds ?? 'keep';
  if (explicitSeeds !== 'keep' && explicitSeeds !== 'replace') {
    throw new TfjsSeedError({
      code: 'TFJS_SEED_INVALID',
      message: `option "explicitSeeds" must be 'keep' or 'replace', got ${JSON.stringify(explicitSeeds)}`,
    });
  }
  const initializers = options.initializers ?? 'tfjs';
  if (initializers !== 'tfjs' && initializers !== 'keras') {
    throw new TfjsSeedError({
      code: 'TFJS_SEED_INVALID',
      message: `option "initializers" must be 'tfjs' or 'keras', got ${JSON.stringify(initializers)}`,
    });
  }
  const python = options.python ?? 3;
  if (python !== 2 && python !== 3) {
    throw new TfjsSeedError({
      code: 'TFJS_SEED_INVALID',
      message: `option "python" must be 2 or 3, got ${JSON.stringify(python)}`,
    });
  }
  const hub = TfjsPatchHub.for(tf);
  let streams: SeedStreams | undefined;
  let keras: TensorflowRandom | undefined;
  const client: HubClient = {
    audit,
    replaceExplicitSeeds: explicitSeeds === 'replace',
    streams: () => {
      if (streams === undefined) throw notSeeded('a tfjs draw');
      return streams;
    },
    keras: () => keras,
  };

  // The hooks read the streams as soon as they are installed, so set them first; if the hub
  // refuses (an audit error, an unsupported module), the previous streams come back.
  function activate(next: SeedStreams, nextKeras: TensorflowRandom | undefined): void {
    const previous = streams;
    const previousKeras = keras;
    streams = next;
    keras = nextKeras;
    try {
      hub.activate(client);
    } catch (error) {
      streams = previous;
      keras = previousKeras;
      throw error;
    }
  }

  return {
    name: 'tfjs',
    seed(seed: number, context?: SeedContext): void {
      if (!isSeed(seed)) {
        throw new TfjsSeedError({
          code: 'TFJS_SEED_INVALID',
          message:
            `seed must be an integer in [1, 2^32 - 1], got ${String(seed)}` +
            (seed === 0 ? ' (tfjs treats 0 as "no seed")' : ''),
        });
      }
      // Keras mode: TF's global seed is the root as the user gave it (not a derived seed).
      const nextKeras =
        initializers === 'keras' ? kerasGenerator(context?.root ?? seed, python) : undefined;
      const next = SeedStreams.fromSeed(seed);
      audit.resetCounters();
      activate(next, nextKeras);
    },
    snapshot(): JsonValue {
      if (streams === undefined) throw notSeeded('snapshot()');
      const snapshot = streams.snapshot() as unknown as Record<string, JsonValue>;
      if (keras !== undefined) snapshot.keras = keras.getState() as unknown as JsonValue;
      return snapshot;
    },
    restore(state: JsonValue): void {
      const next = SeedStreams.fromSnapshot(state);
      let nextKeras: TensorflowRandom | undefined;
      if (initializers === 'keras') {
        const kerasState = (state as Record<string, unknown>).keras;
        nextKeras = tensorflowRandom({ seed: null, python });
        try {
          nextKeras.setState(kerasState);
        } catch (cause) {
          throw new TfjsSeedError({
            code: 'TFJS_SEED_STATE_INVALID',
            message:
              'not a tfjs seed snapshot taken in Keras mode: "keras" is missing or not a TensorflowRandom state',
            cause,
          });
        }
      }
      activate(next, nextKeras);
    },
    release(): void {
      hub.deactivate(client);
      streams = undefined;
      keras = undefined;
    },
    get active(): boolean {
      return hub.isActive(client);
    },
    findings(): readonly DeterminismFinding[] {
      return [...audit.findings];
    },
  };
}

/** The `TensorflowRandom` of TF's global seed `root`; a string root has no TF meaning. */
function kerasGenerator(root: number | string, python: 2 | 3): TensorflowRandom {
  if (typeof root !== 'number') {
    throw new TfjsSeedError({
      code: 'TFJS_SEED_INVALID',
      message: `initializers: 'keras' needs a numeric root seed (TF's global seed), got the string ${JSON.stringify(root)}`,
    });
  }
  return tensorflowRandom({ seed: root, python });
}

function notSeeded(action: string): TfjsSeedError {
  return new TfjsSeedError({
    code: 'TFJS_SEED_NOT_SEEDED',
    message: `${action} before seed() or restore(), or after release(): the control has no state`,
  });
}
