import { join } from 'node:path';
import type { Checkpoint } from '@reprokit/core';

/** The on-disk formats whose saves the kill and concurrency tests attack. */
export const SAVE_FORMATS = [
  'safetensors',
  'safetensors-sharded',
  'tfjs',
  'onnx-external',
] as const;
export type SaveFormat = (typeof SAVE_FORMATS)[number];

/** How to save a checkpoint into a folder in one format, and read back what is there. */
export interface SaveFormatDriver {
  readonly format: SaveFormat;
  /** The file a user opens to read the checkpoint back. */
  target(dir: string): string;
  save(checkpoint: Checkpoint, dir: string): Promise<void>;
  read(dir: string): Promise<Checkpoint>;
}

/**
 * Shard size of the sharded safetensors saves: two tensors per shard (64 MiB, four shards, for
 * the 256 MiB kill-test checkpoint), so that every save spans several shard files.
 */
export function shardBytes(checkpoint: Checkpoint): number {
  const first = checkpoint.tensors.values().next().value;
  return Math.max(1, 2 * (first?.data.byteLength ?? 1));
}

// Each driver imports its adapter on demand: a save worker that loads only the package it
// tests starts up to a second sooner, and the kill tests spawn dozens of workers.
const drivers: Record<SaveFormat, () => Promise<SaveFormatDriver>> = {
  async safetensors() {
    const { readSafetensors, writeSafetensors } = await import('@reprokit/core');
    return {
      format: 'safetensors',
      target: (dir) => join(dir, 'model.safetensors'),
      save: (checkpoint, dir) => writeSafetensors(checkpoint, join(dir, 'model.safetensors')),
      read: (dir) => readSafetensors(join(dir, 'model.safetensors')),
    };
  },
  async 'safetensors-sharded'() {
    const { readSafetensors, writeShardedSafetensors } = await import('@reprokit/core');
    return {
      format: 'safetensors-sharded',
      target: (dir) => join(dir, 'model.safetensors.index.json'),
      save: async (checkpoint, dir) => {
        await writeShardedSafetensors(checkpoint, dir, { maxShardSize: shardBytes(checkpoint) });
      },
      read: (dir) => readSafetensors(join(dir, 'model.safetensors.index.json')),
    };
  },
  async tfjs() {
    const { readTfjsArtifacts, writeTfjsArtifacts } = await import('@reprokit/tfjs');
    return {
      format: 'tfjs',
      target: (dir) => join(dir, 'model.json'),
      // The writer's default shard size (4 MiB), as tensorflowjs_converter writes.
      save: async (checkpoint, dir) => {
        await writeTfjsArtifacts(checkpoint, dir);
      },
      read: (dir) => readTfjsArtifacts(join(dir, 'model.json')),
    };
  },
  async 'onnx-external'() {
    const { readOnnxCheckpoint, saveOnnxModel, writeOnnx } = await import('@reprokit/onnxruntime');
    const { onnxTemplate } = await import('../fixtures/onnx-template.js');
    return {
      format: 'onnx-external',
      target: (dir) => join(dir, 'model.onnx'),
      save: async (checkpoint, dir) => {
        const model = await writeOnnx(onnxTemplate(checkpoint), checkpoint, {
          externalData: 'model.safetensors',
        });
        await saveOnnxModel(model, join(dir, 'model.onnx'));
      },
      read: (dir) => readOnnxCheckpoint(join(dir, 'model.onnx')),
    };
  },
};

/**
 * The driver for one format: safetensors single file, sharded safetensors (two tensors per shard),
 * tfjs artifacts (4 MiB shards, the writer's default) or ONNX with its weights in an external
 * safetensors file. Each uses only the public API of its package.
 *
 * @example
 * await (await saveFormatDriver('tfjs')).save(checkpoint, dir);
 */
export function saveFormatDriver(format: SaveFormat): Promise<SaveFormatDriver> {
  return drivers[format]();
}

/** Type guard for a format name given on a command line. */
export function isSaveFormat(value: string): value is SaveFormat {
  return (SAVE_FORMATS as readonly string[]).includes(value);
}
