import { createRng } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  drawsThatShuffle,
  fisherYatesOrder,
  identityOrder,
  isPermutation,
} from './steered-shuffle.js';

/** Runs tfjs' own util.shuffle on a copy of `array`, answering Math.random from `draws`. */
function tfjsShuffle(array: ArrayLike<number>, draws: () => number): number[] {
  const copy = Array.from(array);
  const saved = Math.random;
  Math.random = draws;
  try {
    tf.util.shuffle(copy);
  } finally {
    Math.random = saved;
  }
  return copy;
}

function randomPermutation(length: number, seed: number): Int32Array {
  const rng = createRng(seed);
  return fisherYatesOrder(length, () => rng.next());
}

describe('fisherYatesOrder', () => {
  it("gives the order tfjs' util.shuffle gives 0..n-1 from the same draws", () => {
    for (const length of [0, 1, 2, 3, 10, 257, 5000]) {
      const ours = createRng(length + 1);
      const theirs = createRng(length + 1);
      expect(Array.from(fisherYatesOrder(length, () => ours.next()))).toEqual(
        tfjsShuffle(identityOrder(length), () => theirs.next()),
      );
      expect(ours.next()).toBe(theirs.next()); // the same number of draws
    }
  });
});

describe('drawsThatShuffle', () => {
  it("makes tfjs' util.shuffle turn any permutation into any other", () => {
    for (const length of [1, 2, 3, 7, 64, 1000, 60000]) {
      for (let trial = 0; trial < 3; trial++) {
        const from = randomPermutation(length, 100 * length + trial);
        const to = randomPermutation(length, 7 * length + trial + 1);
        const draws = drawsThatShuffle(from, to);
        expect(draws.length).toBe(length);
        expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
        let next = 0;
        expect(tfjsShuffle(from, () => draws[next++] as number)).toEqual(Array.from(to));
        expect(next).toBe(length);
      }
    }
  });

  it('leaves an order as it is when asked to', () => {
    const order = randomPermutation(50, 3);
    let next = 0;
    const draws = drawsThatShuffle(order, order);
    expect(tfjsShuffle(order, () => draws[next++] as number)).toEqual(Array.from(order));
  });
});

describe('isPermutation', () => {
  it('accepts 0..n-1 in any order, in arrays and typed arrays', () => {
    expect(isPermutation([])).toBe(true);
    expect(isPermutation([2, 0, 1])).toBe(true);
    expect(isPermutation(Float32Array.of(1, 0))).toBe(true);
  });

  it('refuses repeats, gaps, fractions and non-numbers', () => {
    expect(isPermutation([0, 0])).toBe(false);
    expect(isPermutation([0, 2])).toBe(false);
    expect(isPermutation([0.5, 1])).toBe(false);
    expect(isPermutation(['0', 1])).toBe(false);
  });
});
