import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { concatTensors } from './concat-tensors.js';
import { naiveTranspose } from './mapping-test-helpers.test-helper.js';
import { reorderGates } from './reorder-gates.js';
import { splitTensor } from './slice-tensor.js';
import { transposeTensor } from './transpose-tensor.js';

const sizes = { F64: 8, F32: 4, BF16: 2, U8: 1 } as const;

/** A random tensor of rank 0..5 (dims 0..4), any element size, with a random permutation. */
const tensorAndPerm = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 5 }),
    dtype: fc.constantFrom(...(Object.keys(sizes) as Array<keyof typeof sizes>)),
    seed: fc.integer({ min: 0, max: 255 }),
    offset: fc.integer({ min: 0, max: 7 }),
  })
  .chain((base) =>
    fc
      .shuffledSubarray(
        base.shape.map((_, index) => index),
        { minLength: base.shape.length, maxLength: base.shape.length },
      )
      .map((perm) => ({ ...base, perm })),
  )
  .map(({ shape, dtype, seed, offset, perm }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const backing = new Uint8Array(offset + count * sizes[dtype]);
    const data = backing.subarray(offset);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + seed) & 255;
    const tensor: CheckpointTensor = { dtype, shape, data };
    return { tensor, perm, size: sizes[dtype] };
  });

function inverse(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((axis, index) => {
    out[axis] = index;
  });
  return out;
}

describe('mapping primitives, properties', () => {
  it('transposeTensor matches index arithmetic for any rank 0..5, dtype and byte offset', () => {
    fc.assert(
      fc.property(tensorAndPerm, ({ tensor, perm, size }) => {
        const out = transposeTensor(tensor, perm);
        expect(out.shape).toEqual(perm.map((axis) => tensor.shape[axis]));
        expect(Array.from(out.data)).toEqual(Array.from(naiveTranspose(tensor, perm, size)));
      }),
      { numRuns: 300 },
    );
  });

  it('transposing by a permutation and then its inverse gives the input back', () => {
    fc.assert(
      fc.property(tensorAndPerm, ({ tensor, perm }) => {
        const back = transposeTensor(transposeTensor(tensor, perm), inverse(perm));
        expect(back.shape).toEqual(tensor.shape);
        expect(Array.from(back.data)).toEqual(Array.from(tensor.data));
      }),
      { numRuns: 200 },
    );
  });

  it('reorderGates there and back is the identity, and split + concat too', () => {
    const gated = fc.record({
      outer: fc.integer({ min: 0, max: 3 }),
      gate: fc.integer({ min: 0, max: 3 }),
      inner: fc.integer({ min: 1, max: 3 }),
      order: fc.shuffledSubarray(['i', 'o', 'f', 'c'], { minLength: 4, maxLength: 4 }),
    });
    fc.assert(
      fc.property(gated, ({ outer, gate, inner, order }) => {
        const shape = [outer, 4 * gate, inner];
        const data = Uint8Array.from({ length: outer * 4 * gate * inner * 4 }, (_, i) => i & 255);
        const tensor: CheckpointTensor = { dtype: 'F32', shape, data };
        const to = order.join('');
        const back = reorderGates(reorderGates(tensor, 1, 'iofc', to), 1, to, 'iofc');
        expect(Array.from(back.data)).toEqual(Array.from(data));
        expect(Array.from(concatTensors(splitTensor(tensor, 1, 4), 1).data)).toEqual(
          Array.from(data),
        );
      }),
      { numRuns: 200 },
    );
  });
});
