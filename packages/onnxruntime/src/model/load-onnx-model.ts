import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { ReprokitError } from '@reprokit/core';
import { type ModelProto, ModelProtoSchema } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import { scanRawData } from '../wire/raw-data-scanner.js';
import type { OnnxModel } from './onnx-model.js';

export interface DecodeOnnxModelOptions {
  /** Label for error messages; defaults to `<bytes>`. */
  source?: string;
  /** Folder that external data locations are relative to. */
  folder?: string;
  /** External data files held in memory, by location. */
  externalFiles?: Map<string, Uint8Array>;
}

/**
 * Decode ONNX model bytes (a serialized `ModelProto`) synchronously. Truncated or non-ONNX
 * bytes throw `OnnxError` `ONNX_DECODE_FAILED` or `ONNX_NOT_A_MODEL`.
 *
 * @example
 * const model = decodeOnnxModel(bytes, { folder: '/models/resnet' });
 */
export function decodeOnnxModel(
  bytes: Uint8Array,
  options: DecodeOnnxModelOptions = {},
): OnnxModel {
  const source = options.source ?? '<bytes>';
  let proto: ModelProto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (cause) {
    // The wire scanner walks the same messages and knows where it broke; use its offset.
    let byteOffset: number | undefined;
    try {
      scanRawData(bytes, source);
    } catch (scanError) {
      if (ReprokitError.isInstance(scanError)) byteOffset = scanError.byteOffset;
    }
    throw new OnnxError({
      code: 'ONNX_DECODE_FAILED',
      message: `not a valid ONNX protobuf (${bytes.byteLength} bytes; truncated or not ONNX): ${(cause as Error).message}`,
      file: source,
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
      file: source,
    });
  }
  return {
    proto,
    folder: options.folder,
    source,
    externalFiles: options.externalFiles ?? new Map(),
  };
}

/**
 * Load an ONNX model from a path (external data is then found next to it) or from bytes.
 * An `OnnxModel` passed in is returned as is, so functions can accept all three.
 *
 * @example
 * const model = await loadOnnxModel('model.onnx');
 * model.proto.graph?.initializer.length;
 */
export async function loadOnnxModel(
  bytesOrPath: Uint8Array | string | OnnxModel,
  options: Omit<DecodeOnnxModelOptions, 'source'> = {},
): Promise<OnnxModel> {
  if (typeof bytesOrPath === 'string') {
    const path = resolve(bytesOrPath);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (cause) {
      throw new OnnxError({
        code: 'ONNX_READ_FAILED',
        message: `cannot read model file: ${(cause as Error).message}`,
        file: path,
        cause,
      });
    }
    return decodeOnnxModel(bytes, {
      ...options,
      source: path,
      folder: options.folder ?? dirname(path),
    });
  }
  if (bytesOrPath instanceof Uint8Array) return decodeOnnxModel(bytesOrPath, options);
  return bytesOrPath;
}
