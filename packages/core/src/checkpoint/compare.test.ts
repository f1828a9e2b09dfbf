import { describe, expect, it } from 'vitest';
import { createCheckpoint } from './checkpoint.js';
import { compare } from './compare.js';
import { fromTypedArray } from './typed-array.js';

const f32 = (values: number[]) => fromTypedArray('F32', [values.length], new Float32Array(values));

describe('compare', () => {
  it('reports every status with its differences', () => {
    const a = createCheckpoint([
      ['same', f32([1, 2])],
      ['near', f32([1, 100])],
      ['far', f32([1, 2])],
      ['only-a', f32([1])],
      ['shape', f32([1, 2])],
      ['dtype', f32([1])],
    ]);
    const b = createCheckpoint([
      ['same', f32([1, 2])],
      ['near', f32([1.0001, 100.01])],
      ['far', f32([1, 3])],
      ['shape', fromTypedArray('F32', [1, 2], [1, 2])],
      ['dtype', fromTypedArray('F64', [1], [1])],
      ['only-b', f32([1])],
    ]);
    const report = compare(a, b, { atol: 1e-3, rtol: 1e-3 });
    const byName = new Map(report.tensors.map((t) => [t.name, t]));
    expect(report.tensors.map((t) => [t.name, t.status])).toEqual([
      ['same', 'equal'],
      ['near', 'close'],
      ['far', 'different'],
      ['only-a', 'missing'],
      ['shape', 'shape-mismatch'],
      ['dtype', 'dtype-mismatch'],
      ['only-b', 'extra'],
    ]);
    expect(byName.get('same')).toMatchObject({ bitwiseEqual: true, maxAbsDiff: 0, maxRelDiff: 0 });
    const near = byName.get('near')!;
    expect(near.bitwiseEqual).toBe(false);
    expect(near.maxAbsDiff).toBeCloseTo(0.01, 5); // |100 - 100.01| in float32
    expect(near.maxRelDiff).toBeCloseTo(1e-4, 5); // |1 - 1.0001| / 1
    expect(byName.get('far')).toMatchObject({
      maxAbsDiff: 1,
      maxRelDiff: 0.5,
      mismatchedElements: 1,
    });
    expect(byName.get('dtype')).toMatchObject({ a: { dtype: 'F32' }, b: { dtype: 'F64' } });
    expect(report.equal).toBe(false);
    expect(report.close).toBe(false);
    expect(report.maxAbsDiff).toBe(1);
  });

  it('counts NaN against NaN as equal, NaN against a number as an infinite difference', () => {
    const nanA = new Uint8Array(new Uint32Array([0x7fc00000]).buffer);
    const nanB = new Uint8Array(new Uint32Array([0x7fc00001]).buffer); // another payload
    const report = compare(
      createCheckpoint([
        ['same-nan', { dtype: 'F32', shape: [1], data: nanA }],
        ['other-payload', { dtype: 'F32', shape: [1], data: nanA }],
        ['nan-vs-1', f32([Number.NaN])],
        ['zeros', f32([0])],
        ['inf', f32([Number.POSITIVE_INFINITY])],
      ]),
      createCheckpoint([
        ['same-nan', { dtype: 'F32', shape: [1], data: nanA.slice() }],
        ['other-payload', { dtype: 'F32', shape: [1], data: nanB }],
        ['nan-vs-1', f32([1])],
        ['zeros', f32([-0])],
        ['inf', f32([Number.NEGATIVE_INFINITY])],
      ]),
    );
    expect(report.tensors.map((t) => [t.name, t.status, t.maxAbsDiff])).toEqual([
      ['same-nan', 'equal', 0],
      ['other-payload', 'close', 0],
      ['nan-vs-1', 'different', Number.POSITIVE_INFINITY],
      ['zeros', 'close', 0],
      ['inf', 'different', Number.POSITIVE_INFINITY],
    ]);
  });

  it('subtracts 64-bit integers exactly and decodes half floats', () => {
    const report = compare(
      createCheckpoint([
        ['i64', fromTypedArray('I64', [1], [2n ** 62n])],
        ['f16', fromTypedArray('F16', [1], [1])],
      ]),
      createCheckpoint([
        ['i64', fromTypedArray('I64', [1], [2n ** 62n + 1n])],
        ['f16', fromTypedArray('F16', [1], [1.5])],
      ]),
    );
    expect(report.tensors.map((t) => t.maxAbsDiff)).toEqual([1, 0.5]);
  });
});
