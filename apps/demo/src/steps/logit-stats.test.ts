import { describe, expect, it } from 'vitest';
import { agreement, argmaxRows, bitwiseEqual, maxAbsDifference } from './logit-stats.js';
import { measureMedian } from './measure-median.js';

describe('logit statistics', () => {
  it('finds the largest absolute difference, and treats NaN or a length mismatch as infinite', () => {
    const a = Float32Array.of(1, -2, 3);
    expect(maxAbsDifference(a, Float32Array.of(1, -2.5, 3.25))).toBe(0.5);
    expect(maxAbsDifference(a, Float32Array.of(1, Number.NaN, 3))).toBe(Number.POSITIVE_INFINITY);
    expect(maxAbsDifference(a, Float32Array.of(1, -2))).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes the arg max of each row (first one on ties) and the share of equal labels', () => {
    const logits = Float32Array.of(0, 5, 1, /* row 2 */ 7, 7, -1, /* row 3 */ -3, -2, -1);
    const labels = argmaxRows(logits, 3);
    expect([...labels]).toEqual([1, 0, 2]);
    expect(agreement(labels, Uint8Array.of(1, 1, 2))).toBeCloseTo(2 / 3);
    expect(agreement(labels, Uint8Array.of(1))).toBe(0);
  });

  it('compares bit patterns, so -0 and 0 differ and the same NaN is equal', () => {
    expect(bitwiseEqual(Float32Array.of(1, Number.NaN), Float32Array.of(1, Number.NaN))).toBe(true);
    expect(bitwiseEqual(Float32Array.of(0), Float32Array.of(-0))).toBe(false);
    expect(bitwiseEqual(Float32Array.of(1), Float32Array.of(1 + 2 ** -23))).toBe(false);
  });

  it('reports the median of the timed runs after the warm-up', async () => {
    const durations = [50, 50, 1, 9, 3, 7, 5];
    let call = 0;
    const fakeNow = [0];
    const task = () => {
      fakeNow[0]! += durations[call++]!;
    };
    const original = performance.now.bind(performance);
    performance.now = () => fakeNow[0]!;
    try {
      // Two warm-up calls (50, 50) are not timed; the median of 1, 9, 3, 7, 5 is 5.
      expect(await measureMedian(task, 5)).toBe(5);
    } finally {
      performance.now = original;
    }
    expect(call).toBe(7);
  });
});
