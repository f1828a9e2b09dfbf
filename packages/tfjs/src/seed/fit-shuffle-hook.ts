import type { MathRandomRedirect } from './math-random-redirect.js';
import type { PropertyPatches } from './property-patches.js';

type ShuffleFunction = (...args: unknown[]) => unknown;

/**
 * Makes `tf.util.shuffle` and `tf.util.shuffleCombo` draw from `random`.
 *
 * `model.fit` shuffles its sample order with `tfc.util.shuffle`, a property lookup on the
 * same `util` object `tf.util` exposes in Node, so replacing the property reaches it.
 * The functions stay tfjs' own (Fisher-Yates over `Math.random`); only the generator is
 * swapped for the length of the call. Returns false when `util` is frozen (ESM bundles).
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
            return redirect.run(random, () => original.apply(this, args));
          },
      ) && installed;
  }
  return installed;
}
