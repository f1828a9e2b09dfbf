/*
 * Deliberately broken stores for the self-test of describeCheckpointStore
 * (describe-checkpoint-store.test.ts). Each wraps core's safetensors store and breaks one thing.
 */
import {
  type Checkpoint,
  type CheckpointStore,
  createCheckpoint,
  fromTypedArray,
  safetensorsStore,
} from '@reprokit/core';
import type { CheckpointStoreFixture } from '../store/checkpoint-store-fixture.js';

/** Two tensors, 320 KiB of data, values depending on `version`. */
function checkpoint(version: number): Checkpoint {
  const fill = (length: number, salt: number) =>
    Float32Array.from(
      { length },
      (_, index) => ((index * 7919 + version * 104_729 + salt) % 1009) / 13,
    );
  return createCheckpoint(
    [
      ['kernel', fromTypedArray('F32', [256, 256], fill(65_536, 1))],
      ['bias', fromTypedArray('F32', [16_384], fill(16_384, 2))],
    ],
    [['version', String(version)]],
  );
}

function fixture(store: CheckpointStore): CheckpointStoreFixture {
  return { store, entryName: 'model.safetensors', checkpoint, writeOptions: () => ({}) };
}

export function correctStore(): CheckpointStoreFixture {
  return fixture(safetensorsStore());
}

/** `read` leaves out the last tensor. */
export function dropsATensor(): CheckpointStoreFixture {
  const base = safetensorsStore();
  return fixture({
    ...base,
    async read(files, options) {
      const read = await base.read(files, options);
      const names = [...read.tensors.keys()];
      read.tensors.delete(names.at(-1)!);
      return read;
    },
  });
}

/** `inspect` reads the whole file. */
export function inspectReadsEverything(): CheckpointStoreFixture {
  const base = safetensorsStore();
  return fixture({
    ...base,
    async inspect(files, options) {
      await files.entry.read(0, files.entry.size);
      return base.inspect(files, options);
    },
  });
}

/** `detect` says yes to anything. */
export function detectsAnything(): CheckpointStoreFixture {
  return fixture({ ...safetensorsStore(), detect: () => true });
}

/** `read` lets a plain `Error` out when the file is not what it expects. */
export function untypedErrors(): CheckpointStoreFixture {
  const base = safetensorsStore();
  return fixture({
    ...base,
    async read(files, options) {
      try {
        return await base.read(files, options);
      } catch {
        throw new Error('something went wrong');
      }
    },
  });
}

/**
 * `encode` trusts its input: it writes the header from each tensor's actual byte length, so a
 * good checkpoint gives a good file and a tensor one byte short is written as it is.
 */
export function encodesAnything(): CheckpointStoreFixture {
  const base = safetensorsStore();
  return fixture({
    ...base,
    async encode(input) {
      const entries: Record<string, unknown> = {};
      let offset = 0;
      for (const [name, tensor] of input.tensors) {
        entries[name] = {
          dtype: tensor.dtype,
          shape: tensor.shape,
          data_offsets: [offset, offset + tensor.data.length],
        };
        offset += tensor.data.length;
      }
      entries.__metadata__ = Object.fromEntries(input.metadata);
      let header = JSON.stringify(entries);
      header += ' '.repeat((8 - (header.length % 8)) % 8);
      const prefix = new Uint8Array(8);
      new DataView(prefix.buffer).setBigUint64(0, BigInt(header.length), true);
      const chunks = [
        prefix,
        new TextEncoder().encode(header),
        ...[...input.tensors.values()].map((tensor) => tensor.data),
      ];
      return { dataFiles: [], entry: () => ({ name: '', chunks }) };
    },
  });
}
