import type { Checkpoint } from '@reprokit/core';
import { readOnnxCheckpoint as readModelCheckpoint } from '../checkpoint/read-onnx-checkpoint.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { loadOnnxModel } from './load-onnx-model.js';

/**
 * `readOnnxCheckpoint` of the root entry, plus paths: external data is read from the model's
 * folder (see `loadOnnxModel`).
 *
 * @example
 * const checkpoint = await readOnnxCheckpoint('model.onnx');
 * checkpoint.tensors.get('fc.weight')?.shape; // [10, 784]
 */
export async function readOnnxCheckpoint(
  input: string | Uint8Array | OnnxModel,
): Promise<Checkpoint> {
  return readModelCheckpoint(await loadOnnxModel(input));
}
