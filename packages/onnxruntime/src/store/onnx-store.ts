import {
  type CheckpointStore,
  type CheckpointSummary,
  dtypeSize,
  elementCount,
  type WeightMapping,
} from '@reprokit/core';
import { readOnnxCheckpoint } from '../checkpoint/read-onnx-checkpoint.js';
import { writeOnnxWithReport } from '../checkpoint/write-onnx.js';
import { OnnxError } from '../errors/onnx-error.js';
import { decodeOnnxModel, toOnnxModel } from '../model/decode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { normalizeLocation } from '../tensor/external-data-location.js';
import { initializerSpec } from '../tensor/tensor-proto-to-checkpoint-tensor.js';
import { readInitializerHeaders } from '../wire/initializer-headers.js';
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
 * - inspect: lists the initializers (subgraphs included, under `<node>.<attribute>::<name>`)
 *   from their headers on the protobuf wire: neither embedded weights nor external data files
 *   are read (`readInitializerHeaders`).
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
      const file = files.entry.name;
      const seen = new Set<string>();
      const locations = new Set<string>();
      const tensors = (await readInitializerHeaders(files.entry)).map((header) => {
        const { name } = header;
        if (seen.has(name)) {
          throw new OnnxError({
            code: 'ONNX_DUPLICATE_INITIALIZER',
            message: 'two initializers share this name in the same graph',
            file,
            tensor: name,
          });
        }
        seen.add(name);
        const { dtype, shape } = initializerSpec(header.dataType, header.dims, name, file);
        if (header.external) {
          if (header.location === undefined || header.location === '') {
            throw new OnnxError({
              code: 'ONNX_EXTERNAL_DATA_INVALID',
              message: 'external data has no "location"',
              file,
              tensor: name,
            });
          }
          locations.add(normalizeLocation(header.location, name, file));
        }
        return { name, dtype, shape, byteLength: elementCount(shape) * dtypeSize(dtype) };
      });
      return { format: 'onnx', tensors, metadata: new Map(), files: [file, ...locations] };
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
