import { describe, expect, it } from 'vitest';
import { applyLayout, describeLayout } from './weight-layout.js';

const iota = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

describe('applyLayout', () => {
  it('transposes a 2x3 matrix', () => {
    const out = applyLayout(iota(6), [2, 3], [{ kind: 'transpose', perm: [1, 0] }]);
    expect(out.shape).toEqual([3, 2]);
    expect(Array.from(out.data)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('permutes HWIO to OIHW ([3,2,0,1])', () => {
    // [h=1, w=2, i=2, o=2]: element (h,w,i,o) = w*4 + i*2 + o
    const out = applyLayout(iota(8), [1, 2, 2, 2], [{ kind: 'transpose', perm: [3, 2, 0, 1] }]);
    expect(out.shape).toEqual([2, 2, 1, 2]);
    // (o,i,h,w) order
    expect(Array.from(out.data)).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
  });

  it('reorders LSTM gate blocks i,f,c,o to i,o,f,c along an axis', () => {
    const out = applyLayout(iota(8), [8], [{ kind: 'reorder', axis: 0, order: [0, 3, 1, 2] }]);
    expect(Array.from(out.data)).toEqual([0, 1, 6, 7, 2, 3, 4, 5]);
    const matrix = applyLayout(
      iota(8),
      [2, 4],
      [{ kind: 'reorder', axis: 1, order: [0, 3, 1, 2] }],
    );
    expect(Array.from(matrix.data)).toEqual([0, 3, 1, 2, 4, 7, 5, 6]);
  });

  it('appends zeros along an axis, then reshapes', () => {
    const out = applyLayout(
      iota(3),
      [3],
      [
        { kind: 'padZeros', axis: 0, size: 6 },
        { kind: 'reshape', shape: [1, 6] },
      ],
    );
    expect(out.shape).toEqual([1, 6]);
    expect(Array.from(out.data)).toEqual([0, 1, 2, 0, 0, 0]);
  });

  it('keeps int32 data int32 and does not modify the input', () => {
    const input = Int32Array.from([1, 2, 3, 4]);
    const out = applyLayout(input, [2, 2], [{ kind: 'transpose', perm: [1, 0] }]);
    expect(out.data).toBeInstanceOf(Int32Array);
    expect(Array.from(out.data)).toEqual([1, 3, 2, 4]);
    expect(Array.from(input)).toEqual([1, 2, 3, 4]);
  });

  it('describes steps for initializer names', () => {
    expect(
      describeLayout([
        { kind: 'transpose', perm: [3, 2, 0, 1] },
        { kind: 'reshape', shape: [4, 1] },
      ]),
    ).toBe('transpose[3,2,0,1]+reshape[4,1]');
  });
});
