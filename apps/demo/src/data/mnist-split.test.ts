import { createHash } from 'node:crypto';
import { seedEverything } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { type DigitSet, IMAGE_SIZE, loadMnistSplit } from './mnist-split.js';

function imageHashes(set: DigitSet): string[] {
  const hashes: string[] = [];
  for (let index = 0; index < set.count; index++) {
    const image = set.images.subarray(index * IMAGE_SIZE, (index + 1) * IMAGE_SIZE);
    hashes.push(createHash('sha256').update(image).digest('hex'));
  }
  return hashes;
}

function seeded<T>(seed: number, fn: () => T): T {
  const scope = seedEverything(seed);
  try {
    return fn();
  } finally {
    scope.release();
  }
}

describe('loadMnistSplit', () => {
  const split = seeded(42, () => loadMnistSplit(600, 200));

  it('takes the same number of real digits of each class, pixels in [0, 1]', () => {
    expect(split.train.count).toBe(600);
    expect(split.test.count).toBe(200);
    const perClass = new Array<number>(10).fill(0);
    for (const label of split.train.labels) perClass[label]!++;
    expect(perClass).toEqual(new Array(10).fill(60));
    expect(split.train.images.reduce((min, value) => Math.min(min, value))).toBe(0);
    expect(split.train.images.reduce((max, value) => Math.max(max, value))).toBeLessThanOrEqual(1);
    // Real handwriting: a typical MNIST digit lights up roughly 10-25% of its pixels.
    const lit =
      split.train.images.filter((value) => value > 0.5).length / split.train.images.length;
    expect(lit).toBeGreaterThan(0.05);
    expect(lit).toBeLessThan(0.3);
  });

  it('never puts a training image in the test set', () => {
    const train = new Set(imageHashes(split.train));
    expect(imageHashes(split.test).filter((hash) => train.has(hash))).toEqual([]);
  });

  it('shuffles with Math.random, so the seed decides the order', () => {
    const again = seeded(42, () => loadMnistSplit(600, 200));
    expect(again.train.labels).toEqual(split.train.labels);
    expect(again.test.images).toEqual(split.test.images);
    const other = seeded(43, () => loadMnistSplit(600, 200));
    expect(other.train.labels).not.toEqual(split.train.labels);
    expect(new Set(imageHashes(other.train))).toEqual(new Set(imageHashes(split.train)));
  });
});
