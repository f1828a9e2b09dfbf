import { toBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import type { OnnxModel } from './onnx-model.js';

/** Protobuf messages cannot exceed 2 GiB; ORT refuses larger model files. */
export const PROTOBUF_SIZE_LIMIT = 2 ** 31 - 1;

/**
 * Serialize a model's `ModelProto` to ONNX bytes. External files are not included: write them
 * beside the model (`saveOnnxModel`) or pass them to ORT (`createSession` does).
 * Throws `ONNX_MODEL_TOO_LARGE` past the 2 GiB protobuf limit.
 *
 * @example
 * await writeFile('model.onnx', encodeOnnxModel(model));
 */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const bytes = toBinary(ModelProtoSchema, model.proto);
  if (bytes.byteLength > PROTOBUF_SIZE_LIMIT) {
    throw new OnnxError({
      code: 'ONNX_MODEL_TOO_LARGE',
      message: `model is ${bytes.byteLength} bytes, over the 2 GiB protobuf limit: store the weights as external data (writeOnnx(model, checkpoint, { externalData }))`,
      file: model.name,
    });
  }
  return bytes;
}
