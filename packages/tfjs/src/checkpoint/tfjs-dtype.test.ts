import { describe, expect, it } from 'vitest';
import { bytesCopy, typedArrayCopy } from './tfjs-dtype.js';

describe('typedArrayCopy', () => {
  it('reads the right bytes from a Node Buffer inside a larger backing store', () => {
    // fs.readFile returns Buffers; a tensor's bytes are often a subarray at some offset.
    const backing = Buffer.alloc(32);
    Buffer.from(new Float32Array([1.5, -2, 3]).buffer).copy(backing, 8);
    const bytes = backing.subarray(8, 20);
    const values = typedArrayCopy('float32', bytes);
    expect([...values]).toEqual([1.5, -2, 3]);
    values[0] = 99;
    expect(new Float32Array(backing.buffer, backing.byteOffset + 8, 3)[0]).toBe(1.5);
  });

  it('copies int32 and bool bytes', () => {
    expect([...typedArrayCopy('int32', new Uint8Array(new Int32Array([-7, 8]).buffer))]).toEqual([
      -7, 8,
    ]);
    expect([...typedArrayCopy('bool', Uint8Array.from([1, 0, 1]))]).toEqual([1, 0, 1]);
  });
});

describe('bytesCopy', () => {
  it('copies exactly the view, not the whole buffer', () => {
    const values = new Float32Array([1, 2, 3, 4]).subarray(1, 3);
    const copy = bytesCopy(values);
    expect(copy.byteLength).toBe(8);
    expect([...new Float32Array(copy.buffer)]).toEqual([2, 3]);
  });
});
