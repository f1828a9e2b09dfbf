import { describe, expect, it } from 'vitest';
import { concatTensors, stackTensors } from './concat-tensors.js';
import { f32, valuesOf } from './mapping-test-helpers.test-helper.js';
import { reshapeTensor } from './reshape-tensor.js';
import { selectIndex, sliceTensor, splitTensor } from './slice-tensor.js';

const grid = f32(
  [2, 2, 3],
  Array.from({ length: 12 }, (_, i) => i),
);

describe('sliceTensor, selectIndex, splitTensor, reshapeTensor', () => {
  it('slices an inner axis of every outer row', () => {
    const out = sliceTensor(grid, 2, 1, 3);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(valuesOf(out)).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
  });

  it('selects one index and drops the axis', () => {
    const out = selectIndex(grid, 0, 1);
    expect(out.shape).toEqual([2, 3]);
    expect(valuesOf(out)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(valuesOf(selectIndex(grid, -1, 0))).toEqual([0, 3, 6, 9]);
  });

  it('splits into equal parts', () => {
    const [a, b] = splitTensor(f32([4], [1, 2, 3, 4]), 0, 2);
    expect(valuesOf(a!)).toEqual([1, 2]);
    expect(valuesOf(b!)).toEqual([3, 4]);
    expect(splitTensor(f32([0], []), 0, 2).map((part) => part.shape)).toEqual([[0], [0]]);
  });

  it('gives typed errors for bad ranges, axes and splits', () => {
    expect(() => sliceTensor(grid, 0, 1, 3, 'g')).toThrow(
      expect.objectContaining({ code: 'MAPPING_SLICE_OUT_OF_RANGE', tensor: 'g' }),
    );
    expect(() => selectIndex(grid, 3, 0)).toThrow(
      expect.objectContaining({ code: 'MAPPING_INVALID_AXIS' }),
    );
    expect(() => splitTensor(grid, 2, 2)).toThrow(
      expect.objectContaining({ code: 'MAPPING_SPLIT_UNEVEN' }),
    );
  });

  it('reshapes without moving elements and refuses a different count', () => {
    const out = reshapeTensor(grid, [3, 4]);
    expect(out.shape).toEqual([3, 4]);
    expect(valuesOf(out)).toEqual(valuesOf(grid));
    expect(() => reshapeTensor(grid, [5, 2])).toThrow(
      expect.objectContaining({ code: 'MAPPING_RESHAPE_MISMATCH' }),
    );
  });

  it('concatenates along any axis and stacks on a new one, undoing split and select', () => {
    const parts = splitTensor(grid, 2, 3);
    expect(valuesOf(concatTensors(parts, 2))).toEqual(valuesOf(grid));
    const rows = [selectIndex(grid, 0, 0), selectIndex(grid, 0, 1)];
    const stacked = stackTensors(rows);
    expect(stacked.shape).toEqual([2, 2, 3]);
    expect(valuesOf(stacked)).toEqual(valuesOf(grid));
    expect(concatTensors([f32([0, 2], []), f32([1, 2], [5, 6])], 0).shape).toEqual([1, 2]);
    expect(() => concatTensors([f32([1, 2], [1, 2]), f32([1, 3], [1, 2, 3])], 0)).toThrow(
      expect.objectContaining({ code: 'MAPPING_SHAPE_MISMATCH' }),
    );
    expect(() => concatTensors([], 0)).toThrow(/nothing to concatenate/);
  });
});
