import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint, StoreReadOptions } from '@reprokit/core';
import {
  readCheckpoint,
  type WriteCheckpointCallbacks,
  writeCheckpoint,
} from '@reprokit/core/node';
import type { TfjsArtifactsWriteOptions } from '../artifacts/encode-tfjs-artifact-files.js';
import {
  type TfjsArtifactsStoreOptions,
  tfjsArtifactsStore,
} from '../artifacts/tfjs-artifacts-store.js';

export interface ReadTfjsArtifactsOptions extends TfjsArtifactsStoreOptions, StoreReadOptions {}

export interface WriteTfjsArtifactsOptions
  extends TfjsArtifactsWriteOptions,
    WriteCheckpointCallbacks {}

/**
 * Read TensorFlow.js artifacts from disk: a `model.json` (or a bare `weights_manifest.json`
 * array), or the folder that holds `model.json`, with the shard files it lists (paths relative
 * to it; `../` and absolute paths are refused). `readCheckpoint` of `@reprokit/core/node` with
 * `tfjsArtifactsStore()`: the read starts over if a save replaces the model while it is read.
 * Needs no tfjs runtime.
 *
 * @example
 * const checkpoint = await readTfjsArtifacts('web_model/model.json');
 * checkpoint.tensors.get('dense/kernel'); // { dtype: 'F32', shape: [784, 32], data }
 */
export async function readTfjsArtifacts(
  path: string,
  options: ReadTfjsArtifactsOptions = {},
): Promise<Checkpoint> {
  const { names, ...readOptions } = options;
  const store = tfjsArtifactsStore(names === undefined ? {} : { names });
  const entry = (await isFolder(path)) ? join(path, 'model.json') : path;
  // The caller chose the format: a damaged model.json gets the store's error, not "unknown format".
  return readCheckpoint(entry, { ...readOptions, stores: [{ ...store, detect: () => true }] });
}

/**
 * Write a checkpoint as TensorFlow.js artifacts: `model.json` plus `group1-shard<i>of<n>.bin`
 * files of `shardSize` bytes (default 4 MiB), into a folder (as `model.json`) or at the
 * `.json` path given. With a topology (`modelTopology`, or the checkpoint's
 * `tfjs.modelTopology` metadata) `tf.loadLayersModel` loads the result. Only F32, I32 and BOOL
 * tensors can be written (`TFJS_ARTIFACT_UNSUPPORTED_DTYPE`).
 *
 * `writeCheckpoint` of `@reprokit/core/node` with `tfjsArtifactsStore()`: crash-safe (a save
 * killed at any moment leaves the old model or the new one, complete), one save at a time per
 * folder, and shards the replaced `model.json` listed that the new one does not are deleted.
 * Resolves to the `model.json` path.
 *
 * @example
 * await writeTfjsArtifacts(await tfjsCheckpoint(tf).read(model), 'web_model', {
 *   modelTopology: model.toJSON(null, false),
 * });
 */
export async function writeTfjsArtifacts(
  checkpoint: Checkpoint,
  target: string,
  options: WriteTfjsArtifactsOptions = {},
): Promise<string> {
  const entry = target.endsWith('.json') ? target : join(target, 'model.json');
  await writeCheckpoint(tfjsArtifactsStore(), checkpoint, entry, options);
  return entry;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}
