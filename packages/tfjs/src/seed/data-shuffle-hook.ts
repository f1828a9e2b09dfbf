import type { PropertyPatches } from './property-patches.js';

type DatasetShuffle = (
  bufferSize: number,
  seed?: string,
  reshuffleEachIteration?: boolean,
) => unknown;

/**
 * Gives every `dataset.shuffle(bufferSize)` called without a seed one drawn from `nextSeed`.
 *
 * tfjs-data seeds an unseeded shuffle from the clock (`util.now()`), which no `Math.random`
 * patch reaches, so the hook passes an explicit seed instead. A seed the caller gave is kept.
 * Returns true when there is no `tf.data` to patch, false when it exists but is frozen.
 */
export function installDataShuffleHook(
  patches: PropertyPatches,
  data: { Dataset?: unknown } | undefined,
  nextSeed: () => string,
): boolean {
  const Dataset = data?.Dataset as { prototype?: object } | undefined;
  const prototype = Dataset?.prototype;
  if (prototype === undefined) return true;
  if (typeof (prototype as Record<string, unknown>).shuffle !== 'function') return true;
  return patches.replace<DatasetShuffle>(
    prototype,
    'shuffle',
    (original) =>
      function shuffle(
        this: unknown,
        bufferSize: number,
        seed?: string,
        reshuffleEachIteration?: boolean,
      ): unknown {
        // tfjs tests `seed || now`, so an empty string or 0 would also fall back to the clock.
        const effective =
          seed === undefined || seed === null || (seed as unknown) === '' || (seed as unknown) === 0
            ? nextSeed()
            : seed;
        return original.call(this, bufferSize, effective, reshuffleEachIteration);
      },
  );
}
