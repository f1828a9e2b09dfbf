import type { CheckpointStoreFixture } from '@reprokit/conformance';
import {
  type Checkpoint,
  createCheckpoint,
  fromTypedArray,
  safetensorsStore,
  shardedSafetensorsStore,
} from '@reprokit/core';
import { kerasStore } from '@reprokit/keras';
import { tfjsArtifactsStore } from '@reprokit/tfjs';

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

/** Version `version` of a checkpoint tfjs artifacts and Keras files hold: F32 layers, 320 KiB. */
export function layersCheckpoint(version: number): Checkpoint {
  const fill = (length: number, salt: number) =>
    Float32Array.from({ length }, (_, index) => Math.sin(index * 0.37 + version * 11 + salt));
  return createCheckpoint([
    ['dense/kernel', fromTypedArray('F32', [256, 256], fill(65_536, 1))],
    ['dense/bias', fromTypedArray('F32', [256], fill(256, 2))],
    ['dense_1/kernel', fromTypedArray('F32', [256, 64], fill(16_384, 3))],
    ['dense_1/bias', fromTypedArray('F32', [64], fill(64, 4))],
  ]);
}

export function tfjsArtifactsFixture(): CheckpointStoreFixture {
  return {
    store: tfjsArtifactsStore(),
    entryName: 'model.json',
    checkpoint: layersCheckpoint,
    writeOptions: () => ({ shardSize: 128 * 1024 }),
    alternateWriteOptions: () => ({ shardSize: 32 * 1024 }),
    // tfjs artifacts keep format fields of their own in the checkpoint metadata.
    keptMetadata: () => new Map(),
  };
}

export function kerasFixture(): CheckpointStoreFixture {
  return {
    store: kerasStore(),
    entryName: 'model.weights.h5',
    checkpoint: layersCheckpoint,
    writeOptions: () => ({}),
    // Keras files keep their own metadata (layers, paths, version), not the checkpoint's.
    keptMetadata: () => new Map(),
  };
}

export function kerasLegacyFixture(): CheckpointStoreFixture {
  return { ...kerasFixture(), entryName: 'model.h5' };
}
