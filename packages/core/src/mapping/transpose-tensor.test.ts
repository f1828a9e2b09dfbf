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

  it('handles odd element sizes and unaligned input', () => {
    const backing = new Uint8Array(1 + 6 * 4);
    const unaligned = backing.subarray(1);
    for (let i = 0; i < unaligned.length; i++) unaligned[i] = i;
    const tensor = { dtype: 'F32' as const, shape: [2, 3], data: unaligned };
    expect(Array.from(transposeTensor(tensor, [1, 0]).data)).toEqual(
      Array.from(naiveTranspose(tensor, [1, 0], 4)),
    );
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
