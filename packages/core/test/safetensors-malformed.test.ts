/*
 * The malformed corpus (malformed-safetensors-cases.ts) through the runtime-neutral readers:
 * in memory, and from a Blob whole and lazily. This file runs in Node and in Chromium; the
 * file readers are checked in safetensors-malformed.node.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, openSafetensors, readSafetensors } from '../src/index.js';
import { expectRefused } from './expect-refused.js';
import { build, malformedCases, t } from './malformed-safetensors-cases.js';

describe('malformed safetensors corpus', () => {
  it('has at least 25 cases with distinct names', () => {
    expect(malformedCases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(malformedCases.map((c) => c.name)).size).toBe(malformedCases.length);
  });

  it.each(malformedCases)('$name: $code', async (malformed) => {
    const blob = new Blob([malformed.bytes]);
    await expectRefused(malformed, '<bytes>', [
      ['bytes', () => decodeSafetensors(malformed.bytes)],
    ]);
    await expectRefused(malformed, '<blob>', [
      ['read a Blob', () => readSafetensors(blob)],
      [
        'open a Blob',
        async () => {
          const file = await openSafetensors(blob);
          await file.close();
        },
      ],
    ]);
  });
});
describe('names that are special in JavaScript', () => {
  it('reads __proto__, constructor and prototype as ordinary tensors without pollution', () => {
    const header = `{"__proto__":${t('U8', [1], 0, 1)},"constructor":${t('U8', [1], 1, 2)},"prototype":${t('U8', [1], 2, 3)},"__metadata__":{"__proto__":"x","toString":"y"}}`;
    const checkpoint = decodeSafetensors(build(header, new Uint8Array([1, 2, 3])));
    expect([...checkpoint.tensors.keys()]).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(checkpoint.tensors.get('constructor')?.data).toEqual(new Uint8Array([2]));
    expect([...checkpoint.metadata]).toEqual([
      ['__proto__', 'x'],
      ['toString', 'y'],
    ]);
    expect(({} as Record<string, unknown>).dtype).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('files of other formats', () => {
  it('say they are not safetensors and name what they look like', () => {
    // The first bytes of an ONNX model (ir_version 8, producer_name) and of an HDF5 file.
    const onnx = Uint8Array.from([
      0x08, 0x08, 0x12, 0x07, 0x70, 0x79, 0x74, 0x6f, 0x72, 0x63, 0x68,
    ]);
    const hdf5 = Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    for (const [bytes, looks] of [
      [onnx, 'an ONNX model'],
      [hdf5, 'an HDF5 file'],
    ] as const) {
      let message = '';
      try {
        decodeSafetensors(bytes);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain(`this is not a safetensors file; it looks like ${looks}`);
    }
  });
});
