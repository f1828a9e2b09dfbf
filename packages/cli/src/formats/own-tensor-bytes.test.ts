import { createCheckpoint, toTypedArray } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { ownTensorBytes } from './own-tensor-bytes.js';

describe('ownTensorBytes', () => {
  it('copies a Buffer slice at an odd offset into aligned bytes with the same values', () => {
    const file = Buffer.alloc(13);
    file.writeFloatLE(0.5, 1);
    file.writeFloatLE(-2, 5);
    const data = file.subarray(1, 9);
    const checkpoint = ownTensorBytes(
      createCheckpoint([['w', { dtype: 'F32', shape: [2], data }]]),
    );
    const tensor = checkpoint.tensors.get('w')!;
    expect(Object.getPrototypeOf(tensor.data)).toBe(Uint8Array.prototype);
    expect(tensor.data.byteOffset % 8).toBe(0);
    expect([...toTypedArray(tensor)]).toEqual([0.5, -2]);
  });

  it('returns the same checkpoint when nothing needs a copy', () => {
    const checkpoint = createCheckpoint([
      ['w', { dtype: 'U8', shape: [1], data: new Uint8Array([1]) }],
    ]);
    expect(ownTensorBytes(checkpoint)).toBe(checkpoint);
  });
});
