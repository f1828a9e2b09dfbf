import { describe, expect, it } from 'vitest';
import { toTypedArray } from '../checkpoint/typed-array.js';
import { addTensors } from './add-tensors.js';
import { transposeTensor } from './transpose-tensor.js';

/**
 * Node's `Buffer#slice` returns a view, not a copy, so code that copies unaligned bytes with
 * `.slice()` used to build typed arrays over the wrong memory. Tensors read with `fs.readFile`
 * are Buffers, often at unaligned offsets inside Node's shared pool.
 */
function unalignedBuffer(values: Float32Array): Buffer {
  const backing = Buffer.alloc(values.byteLength + 3);
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(backing, 3);
  return backing.subarray(3);
}

describe('tensors backed by an unaligned Node Buffer', () => {
  const values = new Float32Array([1, -2, 3.5, 4, 5, -6]);

  it('convert to typed arrays with the right values', () => {
    const data = unalignedBuffer(values);
    expect(data.byteOffset % 4).not.toBe(0);
    expect([...toTypedArray({ dtype: 'F32', shape: [6], data })]).toEqual([...values]);
  });

  it('transpose and add correctly, and the identity transpose returns a copy', () => {
    const tensor = { dtype: 'F32' as const, shape: [2, 3], data: unalignedBuffer(values) };
    const transposed = transposeTensor(tensor, [1, 0]);
    expect([...toTypedArray(transposed)]).toEqual([1, 4, -2, 5, 3.5, -6]);
    const identity = transposeTensor(tensor, [0, 1]);
    identity.data[0] = 0xff;
    expect(tensor.data[0]).not.toBe(0xff);
    const sum = addTensors(tensor, { dtype: 'F32', shape: [2, 3], data: unalignedBuffer(values) });
    expect([...toTypedArray(sum)]).toEqual([2, -4, 7, 8, 10, -12]);
  });
});
