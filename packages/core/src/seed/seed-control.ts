import type { JsonValue } from '../json-value.js';
import type { RootSeed } from './root-seed.js';

/**
 * What `seedEverything` tells a control besides its derived seed. A control that must reproduce
 * another program seeded with the root as it is (Python's `random.seed(42)`,
 * `tf.random.set_seed(42)`) reads `root`; every other control ignores it.
 */
export interface SeedContext {
  /** The root seed given to `seedEverything` (or read from `REPROKIT_SEED`). */
  readonly root: RootSeed;
}

/**
 * One source of randomness that `seedEverything` can fix.
 *
 * A control is a plain object made by a factory (`mathRandomSeedControl()`,
 * `tfjsSeedControl(tf)`, `onnxSeedControl()`); there is no global registry.
 */
export interface SeedControl {
  /** Stable name; also the path used to derive this control's seed (`deriveSeed(root, name)`). */
  readonly name: string;
  /**
   * Fix the source. `seed` is a uint32 from `deriveSeed`, never 0. `seedEverything` also passes
   * the root seed in `context`; a direct call may leave it out.
   */
  seed(seed: number, context?: SeedContext): void;
  /** Capture the current state so that `restore` can resume exactly. */
  snapshot?(): JsonValue;
  /** Put back a state taken by `snapshot`. Throws a typed error on a state it cannot use. */
  restore?(state: JsonValue): void;
  /** Undo every patch this control made. Safe to call twice. */
  release?(): void;
}
