import type { MathRandomRedirect } from './math-random-redirect.js';
import type { PropertyPatches } from './property-patches.js';
import { isPermutation } from './steered-shuffle.js';

type ShuffleFunction = (...args: unknown[]) => unknown;

/**
 * Makes `tf.util.shuffle` and `tf.util.shuffleCombo` draw from `random`.
 *
 * `model.fit` shuffles its sample order with `tfc.util.shuffle`, a property lookup on the
 * same `util` object `tf.util` exposes in Node, so replacing the property reaches it.
 * The functions stay tfjs' own (Fisher-Yates over `Math.random`); only the generator is
 * swapped for the length of the call. Returns false when `util` is frozen (ESM bundles).
 *
 * `fit` keeps one index array for the whole call and reshuffles it in place every epoch, so
 * epoch k's order would depend on every earlier epoch's order, which a checkpoint does not
 * hold: a run resumed after epoch 2 could not match one `fit({ epochs: 4 })`. An array that
 * is a permutation of 0..n-1 is therefore put back in order before it is shuffled, which makes
 * each epoch's order a function of the stream state alone (still a uniform shuffle).
 */
export function installFitShuffleHook(
  patches: PropertyPatches,
  util: object,
  redirect: MathRandomRedirect,
  random: () => number,
): boolean {
  let installed = true;
  for (const key of ['shuffle', 'shuffleCombo'] as const) {
    if (typeof (util as Record<string, unknown>)[key] !== 'function') continue;
    installed =
      patches.replace<ShuffleFunction>(
        util,
        key,
        (original) =>
          function shuffleWithControlStream(this: unknown, ...args: unknown[]): unknown {
            if (key === 'shuffle') resetIndexPermutation(args[0]);
            return redirect.run(random, () => original.apply(this, args));
          },
      ) && installed;
  }
  return installed;
}

/** Sorts `array` in place when it holds exactly the numbers 0..n-1 (fit's sample index array). */
export function resetIndexPermutation(array: unknown): boolean {
  if (!Array.isArray(array) && !(ArrayBuffer.isView(array) && !(array instanceof DataView))) {
    return false;
  }
  const values = array as { length: number; [index: number]: unknown };
  if (!isPermutation(values as ArrayLike<unknown>)) return false;
  for (let index = 0; index < values.length; index++) values[index] = index;
  return true;
}
