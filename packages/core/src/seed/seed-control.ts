import type { JsonValue } from '../json-value.js';

/**
 * One source of randomness that `seedEverything` can fix.
 *
 * A control is a plain object made by a factory (`mathRandomSeedControl()`,
 * `tfjsSeedControl(tf)`, `onnxSeedControl()`); there is no global registry.
 */
export interface SeedControl {
  /** Stable name; also the path used to derive this control's seed (`deriveSeed(root, name)`). */
  readonly name: string;
  /** Fix the source. `seed` is a uint32 from `deriveSeed`, never 0. */
  seed(seed: number): void;
  /** Capture the current state so that `restore` can resume exactly. */
  snapshot?(): JsonValue;
  /** Put back a state taken by `snapshot`. Throws a typed error on a state it cannot use. */
  restore?(state: JsonValue): void;
  /** Undo every patch this control made. Safe to call twice. */
  release?(): void;
}
