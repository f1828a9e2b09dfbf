import { createCheckpoint, fromTypedArray, ReprokitError, toTypedArray } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { describeCastNote } from './cast-checkpoint.js';
import { castForTfjs } from './cast-for-tfjs.js';

function codeOf(fn: () => unknown): { code: string | undefined; message: string; tensor?: string } {
  try {
    fn();
  } catch (error) {
    if (ReprokitError.isInstance(error)) {
      return {
        code: error.code,
        message: error.message,
        ...(error.tensor ? { tensor: error.tensor } : {}),
      };
    }
    throw error;
  }
  return { code: undefined, message: '' };
}

describe('castForTfjs', () => {
  const mixed = createCheckpoint(
    [
      ['f32', fromTypedArray('F32', [2], [1.5, -2])],
      ['half', fromTypedArray('F16', [3], [0.5, -1.25, 65504])],
      ['brain', fromTypedArray('BF16', [2], [1, -3])],
      ['double', fromTypedArray('F64', [2], [0.1, 1e-50])],
      ['bytes', fromTypedArray('U8', [2], [0, 255])],
      ['long', fromTypedArray('I64', [2], [-(2n ** 31n), 2n ** 31n - 1n])],
      ['mask', fromTypedArray('BOOL', [2], [true, false])],
    ],
    [['kept', 'yes']],
  );

  it('widens or rounds every dtype tfjs cannot hold, keeping values and metadata', () => {
    const { checkpoint, notes } = castForTfjs(mixed, { allowCast: true, file: 'out/model.json' });
    const dtypes = Object.fromEntries([...checkpoint.tensors].map(([name, t]) => [name, t.dtype]));
    expect(dtypes).toEqual({
      f32: 'F32',
      half: 'F32',
      brain: 'F32',
      double: 'F32',
      bytes: 'I32',
      long: 'I32',
      mask: 'BOOL',
    });
    const values = (name: string) => [...toTypedArray(checkpoint.tensors.get(name)!)];
    expect(values('half')).toEqual([0.5, -1.25, 65504]);
    expect(values('brain')).toEqual([1, -3]);
    expect(values('double')).toEqual([Math.fround(0.1), 0]);
    expect(values('bytes')).toEqual([0, 255]);
    expect(values('long')).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(checkpoint.tensors.get('f32')).toBe(mixed.tensors.get('f32'));
    expect(checkpoint.metadata.get('kept')).toBe('yes');
    expect(notes.map((note) => [note.from, note.to, note.kind, note.tensors])).toEqual([
      ['F16', 'F32', 'exact', ['half']],
      ['BF16', 'F32', 'exact', ['brain']],
      ['F64', 'F32', 'rounded', ['double']],
      ['U8', 'I32', 'exact', ['bytes']],
      ['I64', 'I32', 'range-checked', ['long']],
    ]);
    expect(describeCastNote(notes[2]!)).toBe(
      'reprokit: note: tfjs cannot hold F64: converted 1 tensor(s) to F32 (values rounded): "double"\n',
    );
  });

  it('refuses every needed cast at once with allowCast false', () => {
    const refused = codeOf(() => castForTfjs(mixed, { allowCast: false, file: 'out/model.json' }));
    expect(refused.code).toBe('CLI_CAST_REFUSED');
    expect(refused.message).toContain('5 tensor(s)');
    expect(refused.message).toContain('"half" (F16 -> F32)');
    expect(refused.message).toContain('and 2 more');
  });

  it('refuses an integer that does not fit in int32, naming tensor and element', () => {
    const big = createCheckpoint([['steps', fromTypedArray('U32', [2], [1, 2 ** 31])]]);
    const refused = codeOf(() => castForTfjs(big, { allowCast: true, file: 'm.json' }));
    expect(refused.code).toBe('CLI_CAST_OUT_OF_RANGE');
    expect(refused.tensor).toBe('steps');
    expect(refused.message).toContain('element 1 (2147483648) of U32 does not fit in I32');
  });

  it('refuses F8 even when casts are allowed', () => {
    const f8 = createCheckpoint([
      ['q', { dtype: 'F8_E4M3', shape: [1], data: new Uint8Array([1]) }],
    ]);
    expect(codeOf(() => castForTfjs(f8, { allowCast: true, file: 'm.json' })).code).toBe(
      'CLI_CAST_REFUSED',
    );
  });
});
