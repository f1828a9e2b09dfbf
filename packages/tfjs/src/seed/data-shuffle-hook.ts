import type { PropertyPatches } from './property-patches.js';

type DatasetShuffle = (
  bufferSize: number,
  seed?: string,
  reshuffleEachIteration?: boolean,
) => unknown;

interface IterableDataset {
  iterator(): Promise<unknown>;
}

/**
 * Makes `dataset.shuffle(bufferSize)` called without a seed take its order from `nextSeed`.
 *
 * tfjs-data seeds an unseeded shuffle from the clock (`util.now()`), which no `Math.random`
 * patch reaches. Passing a seed at creation is not enough for exact resume either: the
 * dataset would then keep its own generator, outside any snapshot. So the shuffled dataset
 * tfjs returns gets an `iterator()` that draws a fresh seed from `nextSeed` each time it is
 * iterated (once only with `reshuffleEachIteration = false`) and runs tfjs' own shuffle with
 * it; the control's data stream, which snapshots capture, then decides every epoch's order.
 * A seed the caller gave is left to tfjs. Returns true when there is no `tf.data` to patch,
 * false when it exists but cannot be patched.
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
        // tfjs tests `seed || now`: an empty string (or 0 from untyped code) means "no seed".
        const given = seed as unknown;
        if (given !== undefined && given !== null && given !== '' && given !== 0) {
          return original.call(this, bufferSize, seed, reshuffleEachIteration);
        }
        const base = this;
        // tfjs' dataset keeps size and type; its own generator is never used (see iterator).
        const shuffled = original.call(base, bufferSize, 'reprokit', false) as IterableDataset;
        let onceSeed: string | undefined;
        shuffled.iterator = function iterator(): Promise<unknown> {
          let epochSeed: string;
          if (reshuffleEachIteration !== false) {
            epochSeed = nextSeed();
          } else {
            onceSeed ??= nextSeed();
            epochSeed = onceSeed;
          }
          return (original.call(base, bufferSize, epochSeed, false) as IterableDataset).iterator();
        };
        return shuffled;
      },
  );
}
