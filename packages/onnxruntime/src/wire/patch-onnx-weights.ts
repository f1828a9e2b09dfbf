import {
  type Checkpoint,
  CheckpointMismatchError,
  checkTensor,
  dtypeSize,
  elementCount,
  isCompleteWrite,
  planCheckpointWrite,
  type TensorSpec,
  type WriteReport,
} from '@reprokit/core';
import { OnnxError } from '../errors/onnx-error.js';
import { initializerDtype } from '../tensor/tensor-proto-to-checkpoint-tensor.js';
import { scanRawData } from './raw-data-scanner.js';

export interface PatchOnnxWeightsOptions {
  /** Default `true`: every problem throws one `CheckpointMismatchError`. */
  strict?: boolean;
  /** Overwrite `modelBytes` itself instead of a copy (no allocation at all). */
  inPlace?: boolean;
  /** Label for error messages. */
  file?: string;
}

export interface PatchOnnxWeightsResult {
  readonly bytes: Uint8Array;
  readonly report: WriteReport;
}

/**
 * Swap the weights of an encoded ONNX model whose initializers are embedded as `raw_data`,
 * without decoding or re-encoding the protobuf: the raw bytes are overwritten where they lie
 * (found by `scanRawData`). Dtypes and shapes must match (same byte lengths), so the result
 * is a valid model with the new weights. Initializers stored in typed fields or external data
 * cannot be patched this way and throw `ONNX_PATCH_MISMATCH`; use `writeOnnx` for those.
 *
 * @example
 * const { bytes } = patchOnnxWeights(await readFile('model.onnx'), await readSafetensors('new.safetensors'));
 */
export function patchOnnxWeights(
  modelBytes: Uint8Array,
  checkpoint: Checkpoint,
  options: PatchOnnxWeightsOptions = {},
): PatchOnnxWeightsResult {
  const file = options.file ?? '<bytes>';
  const locations = scanRawData(modelBytes, file);
  const specs = new Map<string, TensorSpec>();
  for (const location of locations) {
    const dtype = initializerDtype(location.dataType, location.name, file);
    specs.set(location.name, { dtype, shape: location.dims });
  }
  const report = planCheckpointWrite(specs, checkpoint);
  if ((options.strict ?? true) && !isCompleteWrite(report)) {
    throw new CheckpointMismatchError('onnxruntime', report, file);
  }
  const loaded = new Set(report.loaded);
  const targets = locations.filter((location) => loaded.has(location.name));
  // Check everything before touching a byte, so a refused patch changes nothing.
  for (const location of targets) {
    checkTensor(checkpoint.tensors.get(location.name)!, location.name);
    const spec = specs.get(location.name)!;
    const expected = elementCount(spec.shape) * dtypeSize(spec.dtype);
    if (location.external || location.rawDataOffset < 0 || location.rawDataLength !== expected) {
      throw new OnnxError({
        code: 'ONNX_PATCH_MISMATCH',
        message: location.external
          ? 'initializer is stored in external data; patch the external file or use writeOnnx'
          : location.rawDataOffset < 0
            ? 'initializer has no raw_data (typed fields); use writeOnnx to replace it'
            : `initializer raw_data has ${location.rawDataLength} bytes, its dims need ${expected}`,
        file,
        tensor: location.name,
        ...(location.rawDataOffset >= 0 ? { byteOffset: location.rawDataOffset } : {}),
      });
    }
  }
  // `new Uint8Array` copies; `slice()` on a Node Buffer would alias the caller's bytes.
  const bytes = options.inPlace === true ? modelBytes : new Uint8Array(modelBytes);
  for (const location of targets) {
    bytes.set(checkpoint.tensors.get(location.name)!.data, location.rawDataOffset);
  }
  return { bytes, report };
}
