import { describe, expect, it } from 'vitest';
import { f32, valuesOf } from './mapping-test-helpers.test-helper.js';
import { reorderGates } from './reorder-gates.js';

describe('reorderGates', () => {
  it('moves ONNX LSTM gates iofc to Keras ifco along axis 0', () => {
    // four gates of two rows each, one column: gate letter encoded in the tens
    const onnx = f32([8, 1], [10, 11, 20, 21, 30, 31, 40, 41]); // i=1x, o=2x, f=3x, c=4x
    const keras = reorderGates(onnx, 0, 'iofc', 'ifco');
    expect(keras.shape).toEqual([8, 1]);
    expect(valuesOf(keras)).toEqual([10, 11, 30, 31, 40, 41, 20, 21]);
  });

  it('reorders along an inner axis for every outer row, and round-trips', () => {
    const values = Array.from({ length: 16 }, (_, i) => i);
    const onnx = f32([2, 8], values);
    const keras = reorderGates(onnx, -1, 'iofc', 'ifco');
    expect(valuesOf(keras)).toEqual([0, 1, 4, 5, 6, 7, 2, 3, 8, 9, 12, 13, 14, 15, 10, 11]);
    expect(valuesOf(reorderGates(keras, 1, 'ifco', 'iofc'))).toEqual(values);
  });

  it('keeps the order when from equals to, and handles zero-size gates', () => {
    expect(valuesOf(reorderGates(f32([3], [1, 2, 3]), 0, 'zrh', 'zrh'))).toEqual([1, 2, 3]);
    expect(reorderGates(f32([0, 4], []), 1, 'iofc', 'ifco').shape).toEqual([0, 4]);
  });

  it.each([
    ['abc', 'abd', /not a rearrangement/],
    ['aab', 'aab', /each gate once/],
    ['iofc', 'ifc', /not a rearrangement/],
  ])('rejects gate orders %s -> %s', (from, to, message) => {
    expect(() => reorderGates(f32([12], new Array(12).fill(0)), 0, from, to)).toThrow(message);
  });

  it('rejects an axis that does not hold equal gates', () => {
    expect(() => reorderGates(f32([6], new Array(6).fill(0)), 0, 'iofc', 'ifco', 'W')).toThrow(
      expect.objectContaining({ code: 'MAPPING_GATE_MISMATCH', tensor: 'W' }),
    );
  });
});
