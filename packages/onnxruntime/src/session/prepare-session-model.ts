import {
  type Checkpoint,
  CheckpointMismatchError,
  createCheckpoint,
  isCompleteWrite,
  parseSafetensorsHeader,
  planCheckpointWrite,
  type WeightMapping,
} from '@reprokit/core';
import { onnxTensorSpecs } from '../checkpoint/read-onnx-checkpoint.js';
import { planOnnxWrite } from '../checkpoint/write-onnx.js';
import { rewriteModel } from '../graph/rewrite-model.js';
import { toOnnxModel } from '../model/decode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import {
  externalTensorData,
  safetensorsTensorData,
} from '../tensor/checkpoint-tensor-to-tensor-proto.js';

/** Name under which safetensors bytes are handed to ORT; only ever seen by ORT. */
export const SESSION_WEIGHTS_LOCATION = 'reprokit-weights.safetensors';

/** Prefix of the per-tensor in-memory files made from a `Checkpoint`; only ever seen by ORT. */
export const SESSION_TENSOR_LOCATION_PREFIX = 'reprokit-tensor-';

export interface SessionWeightsOptions {
  /**
   * Weights for the session: a `Checkpoint`, or the bytes of a safetensors file (used as they
   * are, zero copy: the initializers point straight into them).
   */
  checkpoint?: Checkpoint | Uint8Array;
  /** Strict by default: a checkpoint that does not fit throws `CheckpointMismatchError`. */
  strict?: boolean;
  /** Rename or re-layout the checkpoint first (a `Checkpoint` only). */
  mapping?: WeightMapping;
}

/**
 * The model `createSession` hands to ORT, before seeding: the checkpoint's tensors turned
 * into external data references held in memory. Exported for tools that want the bytes
 * without a session.
 *
 * @example
 * const ready = prepareSessionModel(graphBytes, { checkpoint: safetensorsBytes });
 * ready.externalFiles.get(SESSION_WEIGHTS_LOCATION) === safetensorsBytes; // true
 */
export function prepareSessionModel(
  model: OnnxModel | Uint8Array,
  options: SessionWeightsOptions = {},
): OnnxModel {
  const loaded = toOnnxModel(model);
  const { checkpoint } = options;
  if (checkpoint === undefined) return loaded;
  if (!(checkpoint instanceof Uint8Array)) {
    // One in-memory "file" per tensor, each the tensor's own bytes: nothing is copied
    // (encoding a safetensors file first would copy every weight once).
    const { source, report } = planOnnxWrite(loaded, checkpoint, options);
    const names = new Set(report.loaded);
    const externalFiles = new Map(loaded.externalFiles);
    const proto = rewriteModel(loaded.proto, {
      initializer(tensor, name) {
        const data = names.has(name) ? source.tensors.get(name)?.data : undefined;
        if (data === undefined) return undefined;
        let index = externalFiles.size;
        while (externalFiles.has(`${SESSION_TENSOR_LOCATION_PREFIX}${index}.bin`)) index++;
        const location = `${SESSION_TENSOR_LOCATION_PREFIX}${index}.bin`;
        externalFiles.set(location, data);
        return externalTensorData(tensor, location, 0, data.byteLength);
      },
    });
    return { ...loaded, proto, externalFiles };
  }
  const header = parseSafetensorsHeader(checkpoint);
  // planCheckpointWrite looks at dtypes and shapes only; no tensor bytes are copied.
  const specs = createCheckpoint(
    [...header.tensors].map(([name, entry]) => [
      name,
      { dtype: entry.dtype, shape: entry.shape, data: new Uint8Array(0) },
    ]),
  );
  const report = planCheckpointWrite(onnxTensorSpecs(loaded), specs);
  if ((options.strict ?? true) && !isCompleteWrite(report)) {
    throw new CheckpointMismatchError('onnxruntime', report, loaded.name);
  }
  const names = new Set(report.loaded);
  const proto = rewriteModel(loaded.proto, {
    initializer(tensor, name) {
      return names.has(name)
        ? safetensorsTensorData(tensor, name, SESSION_WEIGHTS_LOCATION, header)
        : undefined;
    },
  });
  const externalFiles = new Map(loaded.externalFiles);
  externalFiles.set(SESSION_WEIGHTS_LOCATION, checkpoint);
  return { ...loaded, proto, externalFiles };
}
