import { describe, expect, it } from 'vitest';
import { blocks } from './block-plan.js';

describe('blocks', () => {
  it('covers the whole array once, in order, each block within the limit', () => {
    for (const [shape, limit] of [
      [[4, 3], 24],
      [[2, 3, 5], 20],
      [[1, 1000], 64],
      [[7], 1],
      [[3, 2, 2], 1000],
    ] as Array<[number[], number]>) {
      const list = [...blocks(shape, 4, limit)];
      let at = 0;
      for (const block of list) {
        expect(block.byteOffset).toBe(at);
        expect(block.byteLength).toBeLessThanOrEqual(Math.max(limit, 4));
        expect(block.byteLength).toBe(block.count.reduce((a, b) => a * b, 4));
        at += block.byteLength;
      }
      expect(at).toBe(shape.reduce((a, b) => a * b, 4));
    }
  });

  it('gives hyperslab offsets of runs of rows', () => {
    expect([...blocks([4, 3], 4, 24)].map((block) => [block.offset, block.count])).toEqual([
      [
        [0, 0],
        [2, 3],
      ],
      [
        [2, 0],
        [2, 3],
      ],
    ]);
    expect([...blocks([2, 3], 4, 8)].map((block) => block.offset)).toEqual([
      [0, 0],
      [0, 2],
      [1, 0],
      [1, 2],
    ]);
  });
});
