import { dirname, resolve } from 'node:path';
import { type CheckpointStore, createCheckpoint } from '@reprokit/core';
import { type WriteCheckpointCallbacks, writeCheckpoint } from '@reprokit/core/node';
import type { OnnxModel } from '../model/onnx-model.js';
import { encodeOnnxFiles } from '../store/encode-onnx-files.js';
import { onnxStore } from '../store/onnx-store.js';
import { folderOfModel } from './load-onnx-model.js';

/**
 * Write a model to `path` with every external data file it references beside it, crash-safe,
 * through `writeCheckpoint` of `@reprokit/core/node`: whatever moment the process dies at,
 * `path` loads as the old model with its old data or the new one with its new data, also in
 * ONNX Runtime itself. External files held in memory are written; files the model reads from
 * another folder are copied along; files already in `path`'s folder (a model loaded from there)
 * stay as they are. Initializers ONNX Runtime cannot take from external data (subgraph
 * initializers, shapes and axes) are embedded, so the saved model loads in ORT from its path
 * and from bytes. Data files are never deleted: one may be shared with tfjs.
 *
 * @example
 * const onnx = await writeOnnx(await loadOnnxModel('graph.onnx'), checkpoint, { externalData: 'model.safetensors' });
 * await saveOnnxModel(onnx, 'out/model.onnx'); // writes out/model.onnx and out/model.safetensors
 */
export async function saveOnnxModel(
  model: OnnxModel,
  path: string,
  callbacks: WriteCheckpointCallbacks = {},
): Promise<void> {
  const target = resolve(path);
  const sameFolder = folderOfModel(model) === dirname(target);
  const store: CheckpointStore = {
    ...onnxStore(),
    encode: () => encodeOnnxFiles(model, { inPlace: () => sameFolder }),
  };
  await writeCheckpoint(store, createCheckpoint([]), target, callbacks);
}
