/*
 * Fingerprints pinned as values: the same checkpoint must give the same fingerprint in every
 * environment. This file runs in Node (native SHA-256) and in Chromium (SHA-256 in
 * JavaScript); fingerprint.node.test.ts recomputes the encoding with node:crypto.
 */
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from './checkpoint.js';
import { fingerprint } from './fingerprint.js';
import { fromTypedArray } from './typed-array.js';

describe('fingerprint test vectors', () => {
  it('an empty checkpoint', () => {
    expect(fingerprint(createCheckpoint([]))).toBe(
      '0d01809f447de5978f7d33076e35a735ae737f8b9d913c42652e1ea68601728a',
    );
  });

  it('mixed dtypes, a non-ASCII name, -0, metadata (not hashed)', () => {
    const checkpoint = createCheckpoint(
      [
        ['dense/kernel', fromTypedArray('F32', [2, 3], [1, -2, 3.5, 0, -0, 1e-8])],
        ['dense/bias', fromTypedArray('F16', [3], [0.5, -1, 65504])],
        ['ëmbedding', fromTypedArray('I64', [2], [1n, -1n])],
        ['mask', fromTypedArray('BOOL', [3], [true, false, true])],
      ],
      [['format', 'pt']],
    );
    expect(fingerprint(checkpoint)).toBe(
      'defc574813f3c34390db0d453b0dea6ef9cdd582a40163ee8f433fbdc3edf8e3',
    );
  });

  it('4 MiB of F32 (the hash is fed in many blocks)', () => {
    const values = Float32Array.from(
      { length: 1 << 20 },
      (_, index) => ((index * 2654435761) % 100003) / 7 - 7000,
    );
    const checkpoint = createCheckpoint([['w', fromTypedArray('F32', [1 << 20], values)]]);
    expect(fingerprint(checkpoint)).toBe(
      'da441dcdad46fd9bbc842fdb0d529b68902a8e6632a286d75fa82ed772e38731',
    );
  });
});
