import { type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import {
  initializersKeptEmbedded,
  type KeptEmbeddedReason,
} from '../graph/initializers-kept-embedded.js';
import { forEachInitializer, rewriteModel } from '../graph/rewrite-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { embedTensorData } from './checkpoint-tensor-to-tensor-proto.js';
import { ExternalDataReader } from './external-data-reader.js';
import { tensorProtoToCheckpointTensor } from './tensor-proto-to-checkpoint-tensor.js';

export interface EmbedKeptInitializersResult {
  readonly model: OnnxModel;
  /** Every initializer that stays inside the model whatever the weights' storage, and why. */
  readonly keptEmbedded: ReadonlyMap<string, KeptEmbeddedReason>;
}

/**
 * A copy of `model` in which the initializers ONNX Runtime cannot take from external data
 * (`initializersKeptEmbedded`) carry their bytes in `raw_data`, read from the model's external
 * data. Everything else, and the input model, stay as they are.
 *
 * @example
 * const { model: loadable, keptEmbedded } = await embedKeptInitializers(model);
 */
export async function embedKeptInitializers(
  model: OnnxModel,
): Promise<EmbedKeptInitializersResult> {
  const keptEmbedded = initializersKeptEmbedded(model.proto);
  const pending: Array<{ name: string; tensor: TensorProto }> = [];
  forEachInitializer(model.proto, (tensor, name) => {
    if (keptEmbedded.has(name) && tensor.dataLocation === TensorProto_DataLocation.EXTERNAL) {
      pending.push({ name, tensor });
    }
  });
  if (pending.length === 0) return { model, keptEmbedded };
  const reader = new ExternalDataReader(model);
  const data = new Map<TensorProto, Uint8Array>();
  try {
    for (const { name, tensor } of pending) {
      data.set(
        tensor,
        (await tensorProtoToCheckpointTensor(tensor, name, model.name, reader)).data,
      );
    }
  } finally {
    await reader.close();
  }
  const proto = rewriteModel(model.proto, {
    initializer(tensor) {
      const bytes = data.get(tensor);
      return bytes === undefined ? undefined : embedTensorData(tensor, bytes);
    },
  });
  return { model: { ...model, proto }, keptEmbedded };
}
