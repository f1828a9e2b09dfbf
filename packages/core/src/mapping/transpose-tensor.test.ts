import { describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/reprokit-error.js';
import { f32, naiveTranspose, patterned, valuesOf } from './mapping-test-helpers.test-helper.js';
import { transposeTensor } from './transpose-tensor.js';

describe('transposeTensor', () => {
  it('transposes a matrix', () => {
    const out = transposeTensor(f32([2, 3], [1, 2, 3, 4, 5, 6]), [1, 0]);
    expect(out.shape).toEqual([3, 2]);
    expect(valuesOf(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('turns OIHW into HWIO', () => {
    // O=2, I=1, H=1, W=2: element (o,i,h,w) = 10*o + w
    const out = transposeTensor(f32([2, 1, 1, 2], [0, 1, 10, 11]), [2, 3, 1, 0]);
    expect(out.shape).toEqual([1, 2, 1, 2]);
    // (h,w,i,o) = 10*o + w
    expect(valuesOf(out)).toEqual([0, 10, 1, 11]);
  });

  it.each([
    ['U8', 1],
    ['F16', 2],
    ['F32', 4],
    ['I64', 8],
  ] as const)('matches index arithmetic on rank-5 %s tensors, byte for byte', (dtype, size) => {
    const tensor = patterned(dtype, [2, 3, 1, 4, 2], size);
    for (const perm of [
      [4, 3, 2, 1, 0],
      [1, 0, 3, 4, 2],
      [0, 2, 4, 1, 3],
    ]) {
      const out = transposeTensor(tensor, perm);
      expect(out.shape).toEqual(perm.map((axis) => tensor.shape[axis]));
      expect(Array.from(out.data)).toEqual(Array.from(naiveTranspose(tensor, perm, size)));
    }
  });

  it.each([1, 2, 4])('handles input starting at byte offset %i', (offset) => {
    for (const [dtype, size] of [
      ['F32', 4],
      ['F64', 8],
      ['BF16', 2],
    ] as const) {
      const backing = new Uint8Array(offset + 6 * size);
      const data = backing.subarray(offset);
      for (let i = 0; i < data.length; i++) data[i] = (i * 13 + 1) & 255;
      const tensor = { dtype, shape: [2, 3], data };
      expect(Array.from(transposeTensor(tensor, [1, 0]).data)).toEqual(
        Array.from(naiveTranspose(tensor, [1, 0], size)),
      );
    }
  });

  it('keeps NaN payloads bit-exact', () => {
    const bits = new Uint32Array([0x7fc00001, 0xffc12345, 0x80000000, 1]);
    const tensor = { dtype: 'F32' as const, shape: [2, 2], data: new Uint8Array(bits.buffer) };
    const out = transposeTensor(tensor, [1, 0]);
    expect(Array.from(new Uint32Array(out.data.slice().buffer))).toEqual([
      0x7fc00001, 0x80000000, 0xffc12345, 1,
    ]);
  });

  it('handles rank 1, rank 0 and zero-size dimensions', () => {
    expect(valuesOf(transposeTensor(f32([3], [1, 2, 3]), [0]))).toEqual([1, 2, 3]);
    expect(valuesOf(transposeTensor(f32([], [7]), []))).toEqual([7]);
    const empty = transposeTensor(f32([2, 0, 3], []), [2, 0, 1]);
    expect(empty.shape).toEqual([3, 2, 0]);
    expect(empty.data.byteLength).toBe(0);
  });

  it('does not alias its input', () => {
    const input = f32([2], [1, 2]);
    const out = transposeTensor(input, [0]);
    out.data[0] = 99;
    expect(valuesOf(input)).toEqual([1, 2]);
  });

  it.each([[[0, 0]], [[1]], [[0, 2]], [[0.5, 1]]])(
    'rejects %j as a permutation of rank 2',
    (perm) => {
      try {
        transposeTensor(f32([2, 2], [1, 2, 3, 4]), perm, 'w');
        expect.unreachable();
      } catch (error) {
        expect(ReprokitError.isInstance(error) && error.code).toBe('MAPPING_INVALID_PERMUTATION');
        expect((error as ReprokitError).tensor).toBe('w');
      }
    },
  );

  it('rejects a tensor whose bytes do not fit its shape', () => {
    const bad = { dtype: 'F32' as const, shape: [3], data: new Uint8Array(8) };
    expect(() => transposeTensor(bad, [0], 'b')).toThrow(/needs 12 bytes, got 8/);
  });
});
