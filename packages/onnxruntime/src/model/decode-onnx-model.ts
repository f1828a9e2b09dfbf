import { fromBinary } from '@bufbuild/protobuf';
import { ReprokitError } from '@reprokit/core';
import { type ModelProto, ModelProtoSchema } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import { scanRawData } from '../wire/raw-data-scanner.js';
import type { OnnxModel, OnnxModelOptions } from './onnx-model.js';

/**
 * Decode ONNX model bytes (a serialized `ModelProto`). Truncated or non-ONNX bytes throw
 * `OnnxError` `ONNX_DECODE_FAILED` (with the `byteOffset` of the broken field when the wire
 * scanner finds it) or `ONNX_NOT_A_MODEL`. Embedded weights stay views into `bytes`.
 *
 * @example
 * const model = decodeOnnxModel(bytes, { name: 'model.onnx', externalFiles: new Map([['model.safetensors', weights]]) });
 */
export function decodeOnnxModel(bytes: Uint8Array, options: OnnxModelOptions = {}): OnnxModel {
  const name = options.name ?? '<bytes>';
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (cause) {
    // The wire scanner walks the same messages and knows where it broke; use its offset.
    let byteOffset: number | undefined;
    try {
      scanRawData(bytes, name);
    } catch (scanError) {
      if (ReprokitError.isInstance(scanError)) byteOffset = scanError.byteOffset;
    }
    throw new OnnxError({
      code: 'ONNX_DECODE_FAILED',
      message: `not a valid ONNX protobuf (${bytes.byteLength} bytes; truncated or not ONNX): ${(cause as Error).message}`,
      file: name,
      ...(byteOffset === undefined ? {} : { byteOffset }),
      cause,
    });
  }
  // Protobuf happily decodes many random byte strings; a model must at least have an IR
  // version and a graph to be worth handing on.
  if (proto.irVersion <= 0n || proto.graph === undefined) {
    throw new OnnxError({
      code: 'ONNX_NOT_A_MODEL',
      message: `bytes decode as protobuf but are not an ONNX model (${proto.irVersion <= 0n ? 'no ir_version' : 'no graph'})`,
      file: name,
    });
  }
  return {
    proto,
    name,
    externalFiles: options.externalFiles ?? new Map(),
    files: options.files,
  };
}

/** An `OnnxModel` as it is, or bytes decoded: what the functions of this package accept. */
export function toOnnxModel(model: OnnxModel | Uint8Array): OnnxModel {
  return model instanceof Uint8Array ? decodeOnnxModel(model) : model;
}
