import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCheckpoint } from './checkpoint.js';
import { fingerprint } from './fingerprint.js';
import { decodeSafetensors } from './safetensors-decode.js';
import { encodeSafetensors } from './safetensors-encode.js';
import { fromTypedArray } from './typed-array.js';

const weights = () =>
  createCheckpoint(
    [
      ['dense/kernel', fromTypedArray('F32', [2, 2], [1, 2, 3, 4])],
      ['dense/bias', fromTypedArray('F16', [2], [0.5, -1])],
      ['step', fromTypedArray('I64', [], [7n])],
    ],
    [['framework', 'reprokit']],
  );

describe('fingerprint', () => {
  it('is pinned: the documented encoding of a fixed checkpoint hashes to this value', () => {
    expect(fingerprint(weights())).toBe(PINNED);
  });

  it('is the SHA-256 of the byte stream the doc comment describes', () => {
    const parts: Buffer[] = [];
    const u64 = (n: number) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(n));
      return b;
    };
    const checkpoint = weights();
    parts.push(Buffer.from('reprokit-fingerprint-v1'), u64(3));
    for (const name of ['dense/bias', 'dense/kernel', 'step']) {
      const tensor = checkpoint.tensors.get(name)!;
      parts.push(u64(Buffer.byteLength(name)), Buffer.from(name));
      parts.push(u64(tensor.dtype.length), Buffer.from(tensor.dtype));
      parts.push(u64(tensor.shape.length), ...tensor.shape.map(u64));
      parts.push(u64(tensor.data.length), Buffer.from(tensor.data));
    }
    expect(fingerprint(checkpoint)).toBe(
      createHash('sha256').update(Buffer.concat(parts)).digest('hex'),
    );
  });

  it('ignores metadata and tensor order, and survives a file round trip', () => {
    const a = weights();
    const b = createCheckpoint([...a.tensors].reverse(), [['other', 'metadata']]);
    expect(fingerprint(b)).toBe(fingerprint(a));
    expect(fingerprint(decodeSafetensors(encodeSafetensors(a)))).toBe(fingerprint(a));
  });

  it('changes with any name, dtype, shape or bit', () => {
    const base = fingerprint(weights());
    const variants = [
      createCheckpoint([['x', fromTypedArray('F32', [4], [1, 2, 3, 4])]]),
      createCheckpoint([['x', fromTypedArray('F32', [2, 2], [1, 2, 3, 4])]]),
      createCheckpoint([['x', fromTypedArray('I32', [2, 2], [1, 2, 3, 4])]]),
      createCheckpoint([['y', fromTypedArray('F32', [2, 2], [1, 2, 3, 4])]]),
      createCheckpoint([['x', fromTypedArray('F32', [2, 2], [1, 2, 3, -0])]]),
      createCheckpoint([['x', fromTypedArray('F32', [2, 2], [1, 2, 3, 0])]]),
    ];
    const prints = new Set([base, ...variants.map(fingerprint)]);
    expect(prints.size).toBe(variants.length + 1);
    expect(fingerprint(createCheckpoint())).toMatch(/^[0-9a-f]{64}$/);
  });
});

// Computed once from the encoding above; it must never change for FINGERPRINT_VERSION v1.
const PINNED = '5e30dcbce9b469b2d72b15f816d060304ccac7d213f3f920d154ae04995dcc71';
