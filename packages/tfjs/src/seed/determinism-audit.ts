import { TfjsSeedError } from './tfjs-seed-error.js';

/**
 * What the audit does with a source of randomness the control cannot make reproducible:
 * `'warn'` reports it once through `onFinding` (default `console.warn`), `'error'` throws a
 * `TfjsSeedError` with code `TFJS_SEED_NONDETERMINISTIC` where it is found, `'off'` does not look.
 */
export type DeterminismAuditMode = 'warn' | 'error' | 'off';

/** The kinds of problem the audit detects; docs/seed-control.md explains each. */
export type DeterminismFindingKind =
  /** The same explicit non-zero seed was given to more than one initializer call: correlated weights. */
  | 'explicit-seed-reused'
  /** An explicit seed of 0: tfjs treats it as "no seed", so it is not the fixed seed asked for. */
  | 'explicit-seed-zero'
  /** A Dropout layer with an explicit seed ran in training: the same mask every step. */
  | 'dropout-fixed-seed'
  /** The active backend has reductions whose order (hence rounding) varies between runs. */
  | 'nondeterministic-backend'
  /**
   * Neither `tf.util` (frozen in ES modules) nor the hooks around it (`tf.CallbackList`,
   * `engine.makeTensor`) can be patched: `model.fit` shuffles are not covered.
   */
  | 'fit-shuffle-not-covered'
  /**
   * Where `tf.util` is frozen, something drew `Math.random` between fit's `onEpochBegin` and its
   * shuffle, so the epoch's order is not the control's.
   */
  | 'fit-shuffle-disturbed'
  /** `tf.data.Dataset.prototype` cannot be patched: unseeded `tf.data` shuffles are not covered. */
  | 'data-shuffle-not-covered';

export interface DeterminismFinding {
  kind: DeterminismFindingKind;
  /** What was found, where, and what to do about it. */
  message: string;
  /** The initializer class, layer name or backend concerned, when known. */
  subject?: string;
}

/** Backends whose kernels reduce in a varying order (GPU shaders). */
const NONDETERMINISTIC_BACKENDS: ReadonlySet<string> = new Set(['webgl', 'webgpu']);

/**
 * Collects findings for one control. Each distinct finding (kind + subject) is reported
 * once; the full list stays readable through `findings`.
 */
export class DeterminismAudit {
  private readonly seen = new Set<string>();
  private readonly list: DeterminismFinding[] = [];
  private readonly initializerSeedUses = new Map<number, number>();

  constructor(
    readonly mode: DeterminismAuditMode,
    private readonly onFinding: (finding: DeterminismFinding) => void,
  ) {}

  get findings(): readonly DeterminismFinding[] {
    return this.list;
  }

  /** Forget per-run counters (seed reuse) when the control is seeded again. */
  resetCounters(): void {
    this.initializerSeedUses.clear();
  }

  report(finding: DeterminismFinding): void {
    if (this.mode === 'off') return;
    const key = `${finding.kind}\u0000${finding.subject ?? ''}`;
    if (this.mode === 'error') {
      this.remember(key, finding);
      throw new TfjsSeedError({ code: 'TFJS_SEED_NONDETERMINISTIC', message: finding.message });
    }
    if (this.remember(key, finding)) this.onFinding(finding);
  }

  /** Called before an initializer with `seed` (maybe undefined) makes a tensor. */
  checkInitializerSeed(seed: unknown, initializer: string): void {
    if (seed === undefined || seed === null) return;
    if (seed === 0) {
      this.report({
        kind: 'explicit-seed-zero',
        subject: initializer,
        message:
          `${initializer} was given seed 0, which tfjs treats as "no seed": under tfjsSeedControl ` +
          'it draws from the control stream instead of a fixed seed. Use a non-zero seed or none.',
      });
      return;
    }
    if (typeof seed !== 'number') return;
    const uses = (this.initializerSeedUses.get(seed) ?? 0) + 1;
    this.initializerSeedUses.set(seed, uses);
    if (uses === 2) {
      this.report({
        kind: 'explicit-seed-reused',
        subject: `seed ${seed}`,
        message:
          `explicit initializer seed ${seed} made more than one tensor (last: ${initializer}): tfjs ` +
          'restarts the same stream for each, so those weights are identical or correlated. ' +
          'Leave the seed out and let tfjsSeedControl draw one per tensor.',
      });
    }
  }

  /** Called when a Dropout layer runs; `training` is the call's training flag. */
  checkDropoutSeed(seed: unknown, layer: string, training: boolean): void {
    if (!training || seed === undefined || seed === null) return;
    if (seed === 0) {
      this.report({
        kind: 'explicit-seed-zero',
        subject: layer,
        message:
          `Dropout layer "${layer}" has seed 0, which tfjs treats as "no seed": masks come from ` +
          'the tfjsSeedControl stream. Remove the seed to say so.',
      });
      return;
    }
    this.report({
      kind: 'dropout-fixed-seed',
      subject: layer,
      message:
        `Dropout layer "${layer}" has an explicit seed (${String(seed)}): tfjs then applies the ` +
        'same mask at every training step. Remove the seed; tfjsSeedControl gives each step its own.',
    });
  }

  checkBackend(backend: string | undefined): void {
    if (backend === undefined || !NONDETERMINISTIC_BACKENDS.has(backend)) return;
    this.report({
      kind: 'nondeterministic-backend',
      subject: backend,
      message:
        `the "${backend}" backend reduces in a varying order on the GPU, so results differ ` +
        'in the last bits between runs even with every seed fixed. Train on "cpu" (or "wasm" ' +
        'for models without convolutions) for bitwise reproducibility.',
    });
  }

  private remember(key: string, finding: DeterminismFinding): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.list.push(finding);
    return true;
  }
}
