import type { JsonValue, SeedControl } from '@reprokit/core';
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
  const hub = TfjsPatchHub.for(tf);
  let streams: SeedStreams | undefined;
  const client: HubClient = {
    audit,
    replaceExplicitSeeds: explicitSeeds === 'replace',
    streams: () => {
      if (streams === undefined) throw notSeeded('a tfjs draw');
      return streams;
    },
  };

  // The hooks read the streams as soon as they are installed, so set them first; if the hub
  // refuses (an audit error, an unsupported module), the previous streams come back.
  function activate(next: SeedStreams): void {
    const previous = streams;
    streams = next;
    try {
      hub.activate(client);
    } catch (error) {
      streams = previous;
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
      activate(next);
    },
    snapshot(): JsonValue {
      if (streams === undefined) throw notSeeded('snapshot()');
      return streams.snapshot() as unknown as JsonValue;
    },
    restore(state: JsonValue): void {
      activate(SeedStreams.fromSnapshot(state));
    },
    release(): void {
      hub.deactivate(client);
      streams = undefined;
    },
    get active(): boolean {
      return hub.isActive(client);
    },
    findings(): readonly DeterminismFinding[] {
      return [...audit.findings];
    },
  };
}

function notSeeded(action: string): TfjsSeedError {
  return new TfjsSeedError({
    code: 'TFJS_SEED_NOT_SEEDED',
    message: `${action} before seed() or restore(), or after release(): the control has no state`,
  });
}
