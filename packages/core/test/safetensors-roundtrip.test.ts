/*
 * Round trips of random checkpoints through bytes, files, lazy reads and shards (fast-check),
 * checked against a reader written here from the specification that shares no code with
 * reprokit's parser, plus byte-exact vectors of what the reference implementation writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  DTYPES,
  type Dtype,
  dtypeSize,
  elementCount,
  encodeSafetensors,
  fingerprint,
  fromTypedArray,
} from '../src/index.js';
import {
  openSafetensors,
  readSafetensors,
  writeSafetensors,
  writeShardedSafetensors,
} from '../src/node/index.js';

/**
 * The independent reader: 8-byte LE length, JSON.parse of the header, slices of the data.
 * It also checks the writer's promises: header padded with spaces to a multiple of 8, offsets
 * contiguous from 0 in header order, data ending exactly at the end of the file.
 */
function independentRead(bytes: Uint8Array): {
  tensors: Map<string, CheckpointTensor>;
  metadata: Map<string, string>;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength % 8 !== 0) throw new Error('header not padded to 8');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(
    bytes.subarray(8, 8 + headerLength),
  );
  if (!/^\{.*\} *$/s.test(text)) throw new Error('header not an object padded with spaces');
  const header = JSON.parse(text) as Record<
    string,
    { dtype: Dtype; shape: number[]; data_offsets: [number, number] }
  >;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, CheckpointTensor>();
  const metadata = new Map<string, string>(
    Object.entries((header.__metadata__ ?? {}) as Record<string, string>),
  );
  let expected = 0;
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = info.data_offsets;
    if (begin !== expected) throw new Error(`${name}: not contiguous`);
    if (end - begin !== elementCount(info.shape) * dtypeSize(info.dtype))
      throw new Error(`${name}: length`);
    expected = end;
    tensors.set(name, {
      dtype: info.dtype,
      shape: info.shape,
      data: bytes.slice(dataStart + begin, dataStart + end),
    });
  }
  if (dataStart + expected !== bytes.length)
    throw new Error('data does not end at the end of the file');
  return { tensors, metadata };
}

/** Order-independent view of a checkpoint for equality checks. */
function canonical(checkpoint: Checkpoint) {
  const sortedEntries = <V>(map: Map<string, V>) =>
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    tensors: sortedEntries(checkpoint.tensors).map(([name, tensor]) => [
      name,
      tensor.dtype,
      [...tensor.shape],
      Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.length).toString('hex'),
    ]),
    metadata: sortedEntries(checkpoint.metadata),
  };
}

const nameArbitrary = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'dense/kernel',
    'ñé中文🙂',
    '',
  ),
);

const tensorArbitrary: fc.Arbitrary<CheckpointTensor> = fc
  .record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
  })
  .chain(({ dtype, shape }) => {
    const length = elementCount(shape) * dtypeSize(dtype);
    return fc
      .uint8Array({ minLength: length, maxLength: length })
      .map((data) => ({ dtype, shape, data }));
  });

const checkpointArbitrary: fc.Arbitrary<Checkpoint> = fc
  .record({
    tensors: fc.uniqueArray(
      fc.tuple(
        nameArbitrary.filter((n) => n !== '__metadata__'),
        tensorArbitrary,
      ),
      {
        selector: ([name]) => name,
        maxLength: 6,
      },
    ),
    metadata: fc.uniqueArray(
      fc.tuple(nameArbitrary, fc.string({ unit: 'binary', maxLength: 12 })),
      {
        selector: ([key]) => key,
        maxLength: 3,
      },
    ),
  })
  .map(({ tensors, metadata }) => createCheckpoint(tensors, metadata));

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-roundtrip-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

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

  it('files and lazy reads: what is written is read back, tensors aligned to their element size', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(checkpointArbitrary, async (checkpoint) => {
        const path = join(folder, `single-${run++}.safetensors`);
        await writeSafetensors(checkpoint, path);
        expect(readFileSync(path)).toEqual(Buffer.from(encodeSafetensors(checkpoint)));
        const read = await readSafetensors(path);
        expect(canonical(read)).toEqual(canonical(checkpoint));
        for (const tensor of read.tensors.values()) {
          expect(tensor.data.byteOffset % dtypeSize(tensor.dtype)).toBe(0);
        }
        const file = await openSafetensors(path);
        try {
          expect(new Set(file.names())).toEqual(new Set(checkpoint.tensors.keys()));
          const lazy = new Map<string, CheckpointTensor>();
          for (const name of [...file.names()].reverse())
            lazy.set(name, await file.readTensor(name));
          expect(canonical({ tensors: lazy, metadata: file.header.metadata })).toEqual(
            canonical(checkpoint),
          );
          expect(canonical(await file.readAll())).toEqual(canonical(checkpoint));
        } finally {
          await file.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('shards: any max shard size reads back the same checkpoint; shards respect the limit', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        checkpointArbitrary,
        fc.integer({ min: 1, max: 300 }),
        async (checkpoint, maxShardSize) => {
          const dir = join(folder, `sharded-${run++}`);
          const indexPath = await writeShardedSafetensors(checkpoint, dir, { maxShardSize });
          expect(indexPath).toBe(join(dir, 'model.safetensors.index.json'));
          expect(canonical(await readSafetensors(indexPath))).toEqual(canonical(checkpoint));
          const index = JSON.parse(readFileSync(indexPath, 'utf8')) as {
            metadata: { total_size: number };
            weight_map: Record<string, string>;
          };
          let total = 0;
          for (const tensor of checkpoint.tensors.values()) total += tensor.data.length;
          expect(index.metadata.total_size).toBe(total);
          expect(new Set(Object.keys(index.weight_map))).toEqual(
            new Set(checkpoint.tensors.keys()),
          );
          const shards = readdirSync(dir)
            .filter((name) => name.endsWith('.safetensors'))
            .sort();
          shards.forEach((shard, position) => {
            expect(shard).toBe(
              `model-${String(position + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`,
            );
            const contents = independentRead(readFileSync(join(dir, shard)));
            let size = 0;
            for (const tensor of contents.tensors.values()) size += tensor.data.length;
            if (contents.tensors.size > 1) expect(size).toBeLessThanOrEqual(maxShardSize);
            for (const name of contents.tensors.keys()) expect(index.weight_map[name]).toBe(shard);
          });
        },
      ),
      { numRuns: 40 },
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
