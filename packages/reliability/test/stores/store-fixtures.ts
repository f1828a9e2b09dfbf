import type { CheckpointStoreFixture } from '@reprokit/conformance';
import {
  type Checkpoint,
  createCheckpoint,
  fromTypedArray,
  safetensorsStore,
  shardedSafetensorsStore,
} from '@reprokit/core';

/**
 * Version `version` of a checkpoint every safetensors store holds: mixed dtypes (F32, F16, I64,
 * U8), a scalar, non-ASCII names, 320 KiB of tensor data in all, and metadata.
 */
export function mixedCheckpoint(version: number): Checkpoint {
  const fill = (length: number, salt: number) =>
    Float32Array.from({ length }, (_, index) => Math.sin(index * 0.37 + version * 11 + salt));
  return createCheckpoint(
    [
      ['encoder/dense/kernel', fromTypedArray('F32', [256, 256], fill(65_536, 1))],
      ['encoder/dense/bias', fromTypedArray('F32', [256], fill(256, 2))],
      ['decoder/ëmbedding', fromTypedArray('F32', [64, 256], fill(16_384, 3))],
      [
        'decoder/half',
        {
          dtype: 'F16',
          shape: [512],
          data: Uint8Array.from({ length: 1024 }, (_, index) => (index * 7 + version) & 0xff),
        },
      ],
      ['step', fromTypedArray('I64', [], [BigInt(version * 1000)])],
      [
        'mask',
        fromTypedArray(
          'U8',
          [1024],
          Uint8Array.from({ length: 1024 }, (_, i) => (i + version) & 1),
        ),
      ],
    ],
    [
      ['format', 'pt'],
      ['version', String(version)],
    ],
  );
}

export function safetensorsFixture(): CheckpointStoreFixture {
  return {
    store: safetensorsStore(),
    entryName: 'model.safetensors',
    checkpoint: mixedCheckpoint,
    writeOptions: () => ({}),
  };
}

export function shardedSafetensorsFixture(): CheckpointStoreFixture {
  return {
    store: shardedSafetensorsStore(),
    entryName: 'model.safetensors.index.json',
    checkpoint: mixedCheckpoint,
    // About three shards: the 256 KiB kernel alone, then the rest.
    writeOptions: () => ({ maxShardSize: 128 * 1024 }),
    // Six shards instead of three: interrupted saves change the shard count.
    alternateWriteOptions: () => ({ maxShardSize: 64 * 1024 }),
  };
}
