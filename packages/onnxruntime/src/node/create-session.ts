import type { OnnxModel } from '../model/onnx-model.js';
import {
  type CreateSessionOptions,
  createSession as createModelSession,
} from '../session/create-session.js';
import type { OrtModule, OrtSession, OrtSessionOptions } from '../session/ort-module.js';
import { loadOnnxModel } from './load-onnx-model.js';

/**
 * `createSession` of the root entry, plus model paths: external data is read from the model's
 * folder and handed to ORT in memory with the checkpoint's weights.
 *
 * @example
 * import * as ort from 'onnxruntime-node';
 * const session = await createSession(ort, 'graph.onnx', {
 *   checkpoint: await readFile('finetuned.safetensors'),
 *   seed: 42,
 *   deterministic: true,
 * });
 */
export async function createSession<M extends OrtModule>(
  ort: M,
  model: string | Uint8Array | OnnxModel,
  options: CreateSessionOptions<OrtSessionOptions<M>> = {},
): Promise<OrtSession<M>> {
  return createModelSession(ort, await loadOnnxModel(model), options);
}
