import { describe, expect, it } from 'vitest';
import { CheckpointError } from './checkpoint-error.js';
import { DTYPES } from './dtype.js';
import { fromTypedArray, toStorageArray, toTypedArray } from './typed-array.js';

describe('fromTypedArray / toTypedArray', () => {
  it('round-trips every dtype with little-endian bytes', () => {
    const samples = {
      F64: [1.5, -2],
      F32: [1.5, -2],
      F16: [1.5, -2],
      BF16: [1.5, -2],
      I64: [-(2n ** 63n), 2n ** 63n - 1n],
      I32: [-(2 ** 31), 2 ** 31 - 1],
      I16: [-32768, 32767],
      I8: [-128, 127],
      U64: [0n, 2n ** 64n - 1n],
      U32: [0, 2 ** 32 - 1],
      U16: [0, 65535],
      U8: [0, 255],
      BOOL: [0, 1],
      F8_E4M3: new Uint8Array([0x38, 0xb8]),
      F8_E5M2: new Uint8Array([0x3c, 0xbc]),
    } as const;
    expect(Object.keys(samples).sort()).toEqual([...DTYPES].sort());
    for (const dtype of DTYPES) {
      const values = samples[dtype] as never;
      const tensor = fromTypedArray(dtype, [2], values);
      expect(tensor.dtype).toBe(dtype);
      expect([...toTypedArray(tensor)]).toEqual(Array.from(samples[dtype] as ArrayLike<unknown>));
    }
    expect([...fromTypedArray('I32', [1], [-2]).data]).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect([...fromTypedArray('F16', [2], new Float32Array([1, 0.1])).data]).toEqual([
      0x00, 0x3c, 0x66, 0x2e,
    ]);
    expect([...fromTypedArray('BF16', [1], new Uint16Array([0x3f80])).data]).toEqual([0x80, 0x3f]);
    expect([...fromTypedArray('BOOL', [3], [true, false, 7]).data]).toEqual([1, 0, 1]);
  });

  it('gives a zero-copy view when aligned and a copy when not', () => {
    const buffer = new Uint8Array(12);
    const aligned = { dtype: 'F32' as const, shape: [2], data: buffer.subarray(4, 12) };
    const view = toTypedArray(aligned);
    view[0] = 3;
    expect(new Float32Array(buffer.buffer, 4, 1)[0]).toBe(3);
    const unaligned = { dtype: 'F32' as const, shape: [2], data: buffer.subarray(2, 10) };
    const copy = toStorageArray(unaligned);
    expect(copy.buffer).not.toBe(buffer.buffer);
    expect(copy.length).toBe(2);
  });

  it('copies its input, so later changes to the source do not leak in', () => {
    const source = new Float32Array([1, 2]);
    const tensor = fromTypedArray('F32', [2], source);
    source[0] = 9;
    expect([...toTypedArray(tensor)]).toEqual([1, 2]);
  });

  it('refuses a value count that does not fit the shape, or a bad shape', () => {
    expect(() => fromTypedArray('F32', [2, 2], new Float32Array(3))).toThrowError(
      expect.objectContaining({ code: 'CHECKPOINT_INVALID_TENSOR' }),
    );
    expect(() => fromTypedArray('F32', [-1], [])).toThrowError(CheckpointError);
    expect(() => toTypedArray({ dtype: 'F32', shape: [2], data: new Uint8Array(7) })).toThrowError(
      /needs 8 bytes, data has 7/,
    );
    expect(() =>
      toTypedArray({ dtype: 'X' as never, shape: [], data: new Uint8Array(1) }),
    ).toThrowError(expect.objectContaining({ code: 'CHECKPOINT_UNSUPPORTED_DTYPE' }));
  });

  it('treats rank 0 as one element and zero dimensions as none', () => {
    expect(fromTypedArray('F64', [], [7]).data.length).toBe(8);
    expect(toTypedArray(fromTypedArray('F64', [3, 0], [])).length).toBe(0);
  });
});
