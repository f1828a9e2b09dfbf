import type { RootSeed } from './root-seed.js';
import { type SeedEverythingOptions, type SeedScope, seedEverything } from './seed-everything.js';

/**
 * Runs `fn` with everything seeded (`seedEverything(seed, options)`), then releases the scope:
 * also when `fn` throws or its promise rejects. A promise-returning `fn` is released when the
 * promise settles.
 *
 * Async caveat: `Math.random` is a global. While an async `fn` waits, any other code in the
 * process (timers, other requests, the test runner) that calls `Math.random` draws from the
 * seeded generator too; that both advances the seeded stream (your run stops repeating) and
 * hands the other code predictable numbers. Run seeded work alone, or await it before other
 * work starts. Like `seedEverything`, `withSeed` releases any scope active before it.
 *
 * @example
 * const weights = withSeed(42, () => initWeights());
 * const loss = await withSeed(7, async () => train(model), { controls: [tfjsSeedControl(tf)] });
 */
export function withSeed<T>(
  seed: RootSeed,
  fn: (scope: SeedScope) => Promise<T>,
  options?: SeedEverythingOptions,
): Promise<T>;
export function withSeed<T>(
  seed: RootSeed,
  fn: (scope: SeedScope) => T,
  options?: SeedEverythingOptions,
): T;
export function withSeed<T>(
  seed: RootSeed,
  fn: (scope: SeedScope) => T | Promise<T>,
  options?: SeedEverythingOptions,
): T | Promise<T> {
  const scope = seedEverything(seed, options);
  let result: T | Promise<T>;
  try {
    result = fn(scope);
  } catch (error) {
    releaseQuietly(scope);
    throw error;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        scope.release();
        return value;
      },
      (error: unknown) => {
        releaseQuietly(scope);
        throw error;
      },
    );
  }
  scope.release();
  return result;
}

// fn's own error matters more than a failed release, which would hide it.
function releaseQuietly(scope: SeedScope): void {
  try {
    scope.release();
  } catch {}
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
