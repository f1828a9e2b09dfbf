import type { JsonValue, SeedControl } from '@reprokit/core';
import { installAuditHooks } from './audit-hooks.js';
import { installDataShuffleHook } from './data-shuffle-hook.js';
import {
  DeterminismAudit,
  type DeterminismAuditMode,
  type DeterminismFinding,
} from './determinism-audit.js';
import { installFitShuffleHook } from './fit-shuffle-hook.js';
import { MathRandomRedirect } from './math-random-redirect.js';
import { PropertyPatches } from './property-patches.js';
import { installRandomOpHook } from './random-op-hook.js';
import { isSeed, SeedStreams } from './seed-streams.js';
import type { TfjsModuleForSeed } from './tfjs-module.js';
import { TfjsSeedError } from './tfjs-seed-error.js';

export interface TfjsSeedControlOptions {
  /** Determinism audit; default `'warn'`. See {@link DeterminismAuditMode}. */
  audit?: DeterminismAuditMode;
  /** Receives each distinct finding once in `'warn'` mode; default `console.warn(finding.message)`. */
  onFinding?: (finding: DeterminismFinding) => void;
}

/** The control returned by {@link tfjsSeedControl}: a `SeedControl` plus the audit's findings. */
export interface TfjsSeedControl extends SeedControl {
  readonly name: 'tfjs';
  seed(seed: number): void;
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
 * shuffles, `tf.data.Dataset.prototype.shuffle`, and for the audit the initializer and
 * Dropout prototypes) on `seed()` or `restore()`, and `release()` puts every original back.
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
  tf: TfjsModuleForSeed,
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
  const patches = new PropertyPatches();
  const redirect = new MathRandomRedirect();
  let streams: SeedStreams | undefined;

  const draw = (name: 'ops' | 'shuffle') => () => (streams as SeedStreams).next(name);
  const opsRandom = draw('ops');
  const shuffleRandom = draw('shuffle');
  const dataSeed = () => String((streams as SeedStreams).nextUint32('data'));

  function backendName(): string | undefined {
    const name = (tf.engine() as { backendName?: unknown }).backendName;
    return typeof name === 'string' ? name : undefined;
  }

  function install(): void {
    if (patches.size > 0) return;
    if (!installRandomOpHook(patches, tf.engine(), redirect, opsRandom)) {
      patches.restoreAll();
      throw new TfjsSeedError({
        code: 'TFJS_SEED_UNSUPPORTED_MODULE',
        message:
          'tf.engine() has no startScope/endScope methods to hook; pass the module of ' +
          '@tensorflow/tfjs 4.x (import * as tf from "@tensorflow/tfjs")',
      });
    }
    try {
      if (!installFitShuffleHook(patches, tf.util, redirect, shuffleRandom)) {
        audit.report({
          kind: 'fit-shuffle-not-covered',
          message:
            'tf.util is frozen (an ESM bundle), so model.fit shuffles still use Math.random: ' +
            "pass { shuffle: false } to fit, or seed Math.random too (seedEverything's math-random control)",
        });
      }
      if (!installDataShuffleHook(patches, tf.data, dataSeed)) {
        audit.report({
          kind: 'data-shuffle-not-covered',
          message:
            'tf.data.Dataset.prototype cannot be patched, so dataset.shuffle() without a seed ' +
            'is seeded from the clock: pass an explicit seed to every shuffle',
        });
      }
      if (auditMode !== 'off') {
        installAuditHooks(
          patches,
          tf.serialization.SerializationMap.getMap().classNameMap,
          audit,
          backendName,
        );
        audit.checkBackend(backendName());
      }
    } catch (error) {
      // An audit error while installing must not leave tfjs half-patched.
      patches.restoreAll();
      throw error;
    }
  }

  return {
    name: 'tfjs',
    seed(seed: number): void {
      if (!isSeed(seed)) {
        throw new TfjsSeedError({
          code: 'TFJS_SEED_INVALID',
          message:
            `seed must be an integer in [1, 2^32 - 1], got ${String(seed)}` +
            (seed === 0 ? ' (tfjs treats 0 as "no seed")' : ''),
        });
      }
      const next = SeedStreams.fromSeed(seed);
      audit.resetCounters();
      install();
      streams = next;
    },
    snapshot(): JsonValue {
      if (streams === undefined) {
        throw new TfjsSeedError({
          code: 'TFJS_SEED_NOT_SEEDED',
          message: 'snapshot() before seed() or restore(): there is no state to capture',
        });
      }
      return streams.snapshot() as unknown as JsonValue;
    },
    restore(state: JsonValue): void {
      const next = SeedStreams.fromSnapshot(state);
      install();
      streams = next;
    },
    release(): void {
      patches.restoreAll();
      streams = undefined;
    },
    get active(): boolean {
      return patches.size > 0;
    },
    findings(): readonly DeterminismFinding[] {
      return [...audit.findings];
    },
  };
}
