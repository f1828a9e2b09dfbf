import type { JsonValue } from '../json-value.js';
import { createRng, parseRngState, type Rng, restoreRng } from './rng.js';
import { MAX_SEED } from './root-seed.js';
import type { SeedControl } from './seed-control.js';
import { describeValue, SeedError } from './seed-error.js';

/** The name of the built-in `Math.random` control, and its `deriveSeed` path. */
export const MATH_RANDOM_CONTROL_NAME = 'math-random';

/**
 * A seed control that replaces `Math.random` with a seeded `Rng` (`createRng`), so that code
 * drawing from `Math.random` (tfjs's unseeded initializers and dropout, `model.fit`
 * shuffling, your own code) repeats. `snapshot()` returns the `RngState` (JSON);
 * `restore(state)` continues from it (patching `Math.random` if needed); `release()` puts
 * back the exact function that was there before the first `seed`/`restore`. `seedEverything`
 * always includes one of these; use the factory directly to manage `Math.random` yourself.
 *
 * @example
 * const control = mathRandomSeedControl();
 * control.seed(deriveSeed(42, 'math-random'));
 * Math.random(); // the same number in every run
 * control.release(); // Math.random is the original again
 */
export function mathRandomSeedControl(): SeedControl & {
  readonly name: typeof MATH_RANDOM_CONTROL_NAME;
  snapshot(): JsonValue;
  restore(state: JsonValue): void;
  release(): void;
} {
  let original: (() => number) | undefined;
  let rng: Rng | undefined;

  const install = (next: Rng) => {
    if (original === undefined) original = Math.random;
    rng = next;
    Math.random = next.next;
  };

  return {
    name: MATH_RANDOM_CONTROL_NAME,
    seed(seed: number) {
      if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
        throw new SeedError({
          code: 'SEED_INVALID',
          message: `seed must be an integer in 0..${MAX_SEED}; got ${describeValue(seed)}`,
          control: MATH_RANDOM_CONTROL_NAME,
        });
      }
      install(createRng(seed));
    },
    snapshot() {
      if (rng === undefined) {
        throw new SeedError({
          code: 'SEED_NOT_SEEDED',
          message: 'snapshot() before seed() or restore(), or after release()',
          control: MATH_RANDOM_CONTROL_NAME,
        });
      }
      return { ...rng.state() };
    },
    restore(state: JsonValue) {
      // Parse before touching Math.random, so that a bad state changes nothing.
      install(restoreRng(parseRngState(state, MATH_RANDOM_CONTROL_NAME)));
    },
    release() {
      if (original === undefined) return;
      Math.random = original;
      original = undefined;
      rng = undefined;
    },
  };
}
