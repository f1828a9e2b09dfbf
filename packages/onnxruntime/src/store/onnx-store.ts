import {
  type CheckpointStore,
  type CheckpointSummary,
  dtypeSize,
  elementCount,
  type WeightMapping,
} from '@reprokit/core';
import { TensorProto_DataLocation } from 'onnx-buf';
import { listInitializers, readOnnxCheckpoint } from '../checkpoint/read-onnx-checkpoint.js';
import { writeOnnxWithReport } from '../checkpoint/write-onnx.js';
import { forEachInitializer } from '../graph/rewrite-model.js';
import { decodeOnnxModel, toOnnxModel } from '../model/decode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { parseExternalDataReference } from '../tensor/external-data-location.js';
import { tensorProtoSpec } from '../tensor/tensor-proto-to-checkpoint-tensor.js';
import { encodeOnnxFiles } from './encode-onnx-files.js';
import { looksLikeOnnxModel } from './looks-like-onnx-model.js';

export interface OnnxStoreWriteOptions {
  /** The graph the checkpoint's weights go into: an `OnnxModel` or model bytes. */
  template: OnnxModel | Uint8Array;
  /**
   * Put the weights in a safetensors file beside the model: this name (relative to the model),
   * or `true` for the model's name with `.safetensors` (`model.onnx` -> `model.safetensors`).
   * Default: embedded in the model.
   */
  externalData?: string | true;
  /** Default `true`: every missing, unexpected or mismatched tensor throws. */
  strict?: boolean;
  /** Rename or re-layout the checkpoint first (for example `kerasToOnnx`). */
  mapping?: WeightMapping;
}

/**
 * The store of ONNX models (`model.onnx`, with or without external data files).
 *
 * - detect: a `.onnx` name or a protobuf `ModelProto` start (`looksLikeOnnxModel`).
 * - inspect: decodes the model and lists its initializers (subgraphs included, under
 *   `<node>.<attribute>::<name>`); external data files are named, never opened.
 * - read: every initializer (`readOnnxCheckpoint`), external data opened through `files`.
 * - encode: the checkpoint written into `template` (`writeOnnx`); the model is the entry and,
 *   with `externalData`, the safetensors file (the checkpoint's own encoding, so tfjs reads it
 *   too) is a data file, so `writeCheckpoint` of `@reprokit/core/node` saves both crash-safe.
 *   Initializers ONNX Runtime needs inside the model stay embedded (`WriteOnnxResult.keptEmbedded`).
 *   Any other external file the template still references is copied along.
 *
 * There is no `dataFilesOf`: an external data file may be shared with tfjs (one
 * `model.safetensors` for both runtimes), so a save never deletes one.
 *
 * @example
 * await writeCheckpoint(onnxStore(), checkpoint, 'out/model.onnx', {
 *   template: graphBytes,
 *   externalData: true, // out/model.safetensors
 * }); // writeCheckpoint is in @reprokit/core/node
 * const back = await readCheckpoint('out/model.onnx', { stores: [onnxStore()] });
 */
export function onnxStore(): CheckpointStore<OnnxStoreWriteOptions> {
  return {
    specificationVersion: 'v1',
    format: 'onnx',
    extensions: ['.onnx'],
    detect: ({ name, head }) => looksLikeOnnxModel(name, head),
    async inspect(files): Promise<CheckpointSummary> {
      const model = decodeOnnxModel(await files.entry.read(0, files.entry.size), {
        name: files.entry.name,
      });
      const locations = new Set<string>();
      forEachInitializer(model.proto, (tensor, name) => {
        if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
        locations.add(parseExternalDataReference(tensor, name, model.name).normalizedLocation);
      });
      return {
        format: 'onnx',
        tensors: listInitializers(model).map(({ name, tensor }) => {
          const { dtype, shape } = tensorProtoSpec(tensor, name, model.name);
          return { name, dtype, shape, byteLength: elementCount(shape) * dtypeSize(dtype) };
        }),
        metadata: new Map(),
        files: [files.entry.name, ...locations],
      };
    },
    async read(files) {
      const bytes = await files.entry.read(0, files.entry.size);
      return readOnnxCheckpoint(decodeOnnxModel(bytes, { name: files.entry.name, files }));
    },
    async encode(checkpoint, options) {
      const location =
        options.externalData === true
          ? `${options.entryName.replace(/\.onnx$/i, '')}.safetensors`
          : options.externalData;
      const { model } = await writeOnnxWithReport(toOnnxModel(options.template), checkpoint, {
        ...(options.strict === undefined ? {} : { strict: options.strict }),
        ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
        ...(location === undefined ? {} : { externalData: location }),
      });
      return encodeOnnxFiles(model);
    },
  };
}
