import { describe, expect, it } from 'vitest';
import { resetIndexPermutation } from './fit-shuffle-hook.js';

describe('resetIndexPermutation', () => {
  it('puts a permutation of 0..n-1 back in order, in place', () => {
    const indices = [3, 0, 4, 1, 2];
    expect(resetIndexPermutation(indices)).toBe(true);
    expect(indices).toEqual([0, 1, 2, 3, 4]);
    const typed = Int32Array.from([1, 2, 0]);
    expect(resetIndexPermutation(typed)).toBe(true);
    expect([...typed]).toEqual([0, 1, 2]);
  });

  it('leaves other arrays alone', () => {
    for (const input of [
      [1, 2, 3],
      [0, 0, 1],
      [0, 1.5, 2],
      ['b', 'a'],
      [{ x: 1 }, { x: 0 }],
    ]) {
      const copy = structuredClone(input);
      expect(resetIndexPermutation(input)).toBe(false);
      expect(input).toEqual(copy);
    }
    expect(resetIndexPermutation('not an array')).toBe(false);
  });
});
