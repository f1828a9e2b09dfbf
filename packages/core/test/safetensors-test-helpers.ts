/*
 * Shared by the safetensors round-trip tests: an independent reader written from the
 * specification (it shares no code with reprokit's parser), an order-independent view of a
 * checkpoint, and fast-check arbitraries of checkpoints. Runtime-neutral.
 */
import fc from 'fast-check';
import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  DTYPES,
  type Dtype,
  dtypeSize,
  elementCount,
} from '../src/index.js';

/**
 * The independent reader: 8-byte LE length, JSON.parse of the header, slices of the data.
 * It also checks the writer's promises: header padded with spaces to a multiple of 8, offsets
 * contiguous from 0 in header order, data ending exactly at the end of the file.
 */
export function independentRead(bytes: Uint8Array): {
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
export function canonical(checkpoint: Checkpoint) {
  const sortedEntries = <V>(map: Map<string, V>) =>
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    tensors: sortedEntries(checkpoint.tensors).map(([name, tensor]) => [
      name,
      tensor.dtype,
      [...tensor.shape],
      Array.from(tensor.data, (byte) => byte.toString(16).padStart(2, '0')).join(''),
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

export const checkpointArbitrary: fc.Arbitrary<Checkpoint> = fc
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
