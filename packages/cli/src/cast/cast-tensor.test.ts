import { createCheckpoint, fromTypedArray, toTypedArray } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { castKind, castTensor } from './cast-tensor.js';
import { castToSpecs } from './cast-to-specs.js';

describe('castKind', () => {
  it.each([
    ['F16', 'F32', 'exact'],
    ['BF16', 'F32', 'exact'],
    ['F16', 'BF16', 'rounded'],
    ['BF16', 'F16', 'rounded'],
    ['F32', 'F16', 'rounded'],
    ['F32', 'F64', 'exact'],
    ['I32', 'I64', 'exact'],
    ['U32', 'I64', 'exact'],
    ['I64', 'I32', 'range-checked'],
    ['I8', 'U8', 'range-checked'],
    ['I16', 'F32', 'exact'],
    ['I32', 'F32', 'rounded'],
    ['U32', 'F64', 'exact'],
    ['I64', 'F64', 'rounded'],
    ['F32', 'I32', undefined],
    ['BOOL', 'U8', undefined],
    ['F8_E4M3', 'F32', undefined],
  ] as const)('%s -> %s: %s', (from, to, kind) => {
    expect(castKind(from, to)).toBe(kind);
  });
});

describe('castTensor', () => {
  it('widens I32 to I64 and F16 to F32 keeping every value', () => {
    const longs = castTensor(fromTypedArray('I32', [3], [-(2 ** 31), 0, 2 ** 31 - 1]), 'I64', {
      name: 'steps',
      file: 'f',
    });
    expect([...toTypedArray(longs)]).toEqual([-(2n ** 31n), 0n, 2n ** 31n - 1n]);
    const floats = castTensor(fromTypedArray('F16', [2], [0.333251953125, -65504]), 'F32', {
      name: 'w',
      file: 'f',
    });
    expect(floats.dtype).toBe('F32');
    expect([...toTypedArray(floats)]).toEqual([0.333251953125, -65504]);
  });

  it('rounds F32 to F16 to nearest', () => {
    const half = castTensor(fromTypedArray('F32', [1], [0.1]), 'F16', { name: 'w', file: 'f' });
    expect([...toTypedArray(half)]).toEqual([0.0999755859375]);
  });

  it('refuses an element outside the target range', () => {
    expect(() =>
      castTensor(fromTypedArray('I16', [2], [3, -1]), 'U8', { name: 'ids', file: 'out.onnx' }),
    ).toThrow(/element 1 \(-1\) of I16 does not fit in U8/);
  });
});

describe('castToSpecs', () => {
  it('casts only tensors whose name and shape match the template but dtype differs', () => {
    const source = createCheckpoint([
      ['w', fromTypedArray('F16', [2], [1, 2])],
      ['steps', fromTypedArray('I32', [1], [7])],
      ['reshaped', fromTypedArray('F16', [2], [1, 2])],
      ['extra', fromTypedArray('F16', [1], [1])],
    ]);
    const specs = new Map([
      ['w', { dtype: 'F32' as const, shape: [2] }],
      ['steps', { dtype: 'I64' as const, shape: [1] }],
      ['reshaped', { dtype: 'F32' as const, shape: [1, 2] }],
    ]);
    const { checkpoint, notes } = castToSpecs(source, specs, {
      allowCast: true,
      file: 'out.onnx',
      template: 'graph.onnx',
    });
    expect([...checkpoint.tensors].map(([name, tensor]) => [name, tensor.dtype])).toEqual([
      ['w', 'F32'],
      ['steps', 'I64'],
      ['reshaped', 'F16'],
      ['extra', 'F16'],
    ]);
    expect(notes.map((note) => note.reason)).toEqual([
      'graph.onnx stores F32 where the input has F16',
      'graph.onnx stores I64 where the input has I32',
    ]);
  });
});
