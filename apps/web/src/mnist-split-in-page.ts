import { IMAGE_SIZE } from './digit-shape.js';
import type { MnistDigits } from './mnist-digit-files.js';

/** Digits as one flat array of 28x28 grey values in [0, 1], and their labels (the Node demo's `DigitSet`). */
export interface DigitSet {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/**
 * The split `mnist.set(train, test)` makes in Node, step for step, so that under the same
 * seed it draws the same `Math.random` numbers and gives the same sets in the same order:
 * per digit the first `train / 10` images for training and the next `test / 10` for testing,
 * digits 0 to 9 concatenated, then each set shuffled by the package's own shuffle.
 */
export function splitLikeMnistPackage(
  digits: MnistDigits,
  train: number,
  test: number,
): { train: DigitSet; test: DigitSet } {
  const perDigitTrain = Math.max(1, Math.floor(train / 10));
  const perDigitTest = Math.max(1, Math.floor(test / 10));
  const trainingRows: Sample[] = [];
  const testRows: Sample[] = [];
  digits.forEach((raw, label) => {
    for (let index = 0; index < perDigitTrain; index++) trainingRows.push({ raw, index, label });
    for (let index = perDigitTrain; index < perDigitTrain + perDigitTest; index++) {
      testRows.push({ raw, index, label });
    }
  });
  return { train: toDigitSet(shuffle(trainingRows)), test: toDigitSet(shuffle(testRows)) };
}

interface Sample {
  readonly raw: readonly number[];
  readonly index: number;
  readonly label: number;
}

// The `mnist` package's shuffle, kept as written there (including `parseInt` on a number),
// so that it consumes and uses Math.random exactly as in Node.
function shuffle<T>(rows: T[]): T[] {
  for (let i = rows.length; i; ) {
    const j = Number.parseInt(String(Math.random() * i), 10);
    const x = rows[--i]!;
    rows[i] = rows[j]!;
    rows[j] = x;
  }
  return rows;
}

function toDigitSet(samples: readonly Sample[]): DigitSet {
  const images = new Float32Array(samples.length * IMAGE_SIZE);
  const labels = new Uint8Array(samples.length);
  samples.forEach((sample, row) => {
    const start = sample.index * IMAGE_SIZE;
    images.set(sample.raw.slice(start, start + IMAGE_SIZE), row * IMAGE_SIZE);
    labels[row] = sample.label;
  });
  return { images, labels, count: samples.length };
}
