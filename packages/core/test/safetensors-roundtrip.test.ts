/*
 * Round trips of random checkpoints through bytes (fast-check), checked against a reader written
 * from the specification, plus byte-exact vectors of what the reference implementation writes.
 * Runs in Node and in Chromium; files and shards are in safetensors-roundtrip.node.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCheckpoint,
  encodeSafetensors,
  fingerprint,
  fromTypedArray,
  readSafetensors,
} from '../src/index.js';
import { canonical, checkpointArbitrary, independentRead } from './safetensors-test-helpers.js';

describe('safetensors round trips (property tests)', () => {
  it('bytes: decode(encode(x)) = x, the independent reader agrees, output is order-independent', async () => {
    await fc.assert(
      fc.asyncProperty(checkpointArbitrary, async (checkpoint) => {
        const bytes = encodeSafetensors(checkpoint);
        const expected = canonical(checkpoint);
        expect(canonical(await readSafetensors(bytes))).toEqual(expected);
        expect(canonical(independentRead(bytes))).toEqual(expected);
        const reversed = createCheckpoint(
          [...checkpoint.tensors].reverse(),
          [...checkpoint.metadata].reverse(),
        );
        expect(encodeSafetensors(reversed)).toEqual(bytes);
        expect(fingerprint(await readSafetensors(bytes))).toBe(fingerprint(checkpoint));
      }),
      { numRuns: 300 },
    );
  });
});

describe('byte-exact output', () => {
  const f32 = (shape: number[], values: number[]) =>
    fromTypedArray('F32', shape, new Float32Array(values));

  it('matches the bytes the reference implementation writes for one F32 tensor', () => {
    const bytes = encodeSafetensors(
      createCheckpoint([['attn.0', f32([1, 2, 3], [0, 1, 2, 3, 4, 5])]]),
    );
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(header.length).toBe(64);
    const expected = new Uint8Array(8 + 64 + 24);
    expected[0] = 64;
    expected.set(new TextEncoder().encode(header), 8);
    expected.set(new Uint8Array(new Float32Array([0, 1, 2, 3, 4, 5]).buffer), 72);
    expect(bytes).toEqual(expected);
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const bytes = encodeSafetensors(
      createCheckpoint([['attn0', f32([1, 1, 2, 3], [0, 1, 2, 3, 4, 5])]]),
    );
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    expect(header.length).toBe(72);
    expect(bytes[0]).toBe(72);
    expect(new TextDecoder().decode(bytes.subarray(8, 80))).toBe(header);
  });

  it('writes an empty checkpoint and metadata-only checkpoint like the reference', () => {
    expect([...encodeSafetensors(createCheckpoint())]).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    const bytes = encodeSafetensors(createCheckpoint([], [['framework', 'pt']]));
    expect(bytes[0]).toBe(40);
    expect(new TextDecoder().decode(bytes.subarray(8))).toBe(
      '{"__metadata__":{"framework":"pt"}}     ',
    );
  });

  it('orders tensors widest dtype first, then by name as code points', () => {
    const checkpoint = createCheckpoint([
      ['b', fromTypedArray('U8', [1], [1])],
      ['\u{1F600}', fromTypedArray('F32', [1], [1])],
      ['\uFFFD', fromTypedArray('F32', [1], [1])],
      ['a', fromTypedArray('F16', [1], [1])],
      ['z', fromTypedArray('F64', [1], [1])],
      ['y', fromTypedArray('I64', [1], [1n])],
    ]);
    const { tensors } = independentRead(encodeSafetensors(checkpoint));
    // U+FFFD sorts before U+1F600 by code point, though its UTF-16 unit is larger than a surrogate.
    expect([...tensors.keys()]).toEqual(['y', 'z', '\uFFFD', '\u{1F600}', 'a', 'b']);
  });
});
