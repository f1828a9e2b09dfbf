import {
  type Checkpoint,
  CheckpointMismatchError,
  checkTensor,
  encodeSafetensors,
  isCompleteWrite,
  type MappingStep,
  parseSafetensorsHeader,
  planCheckpointWrite,
  type WeightMapping,
  type WriteReport,
} from '@reprokit/core';
import { type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';
import type { KeptEmbeddedReason } from '../graph/initializers-kept-embedded.js';
import { forEachInitializer, rewriteModel } from '../graph/rewrite-model.js';
import { toOnnxModel } from '../model/decode-onnx-model.js';
import { PROTOBUF_SIZE_LIMIT } from '../model/encode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import {
  embedTensorData,
  safetensorsTensorData,
} from '../tensor/checkpoint-tensor-to-tensor-proto.js';
import { embedKeptInitializers } from '../tensor/embed-kept-initializers.js';
import { normalizeLocation } from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import { tensorProtoToCheckpointTensor } from '../tensor/tensor-proto-to-checkpoint-tensor.js';
import { onnxTensorSpecs } from './read-onnx-checkpoint.js';

export interface WriteOnnxOptions {
  /**
   * Default `true`: any missing, unexpected, shape- or dtype-mismatched tensor throws one
   * `CheckpointMismatchError` listing all of them. `false`: write what matches, keep the
   * model's own data for the rest.
   */
  strict?: boolean;
  /** Rewrite names and layouts before writing (for example Keras to ONNX). */
  mapping?: WeightMapping;
  /**
   * Store the weights as external data in one safetensors file of this name (relative to the
   * model) instead of embedding them. The file's bytes are the safetensors encoding of the
   * checkpoint, so the same file serves tfjs and ONNX Runtime; they are kept in the returned
   * model's `externalFiles` until `saveOnnxModel` (or `onnxStore()`'s encode) writes them.
   * Initializers ONNX Runtime cannot take from external data stay embedded: see `keptEmbedded`.
   */
  externalData?: string;
}

export interface WriteOnnxResult {
  readonly model: OnnxModel;
  readonly report: WriteReport;
  /**
   * With `externalData`: the initializers that stay inside the model so that ONNX Runtime can
   * load it (those of If/Loop/Scan bodies, and those shape inference reads, such as Reshape
   * shapes and Squeeze axes), and why. Their bytes are also in the safetensors file, which
   * holds the whole checkpoint. Empty without `externalData`.
   */
  readonly keptEmbedded: ReadonlyMap<string, KeptEmbeddedReason>;
}

/**
 * A copy of `model` carrying the checkpoint's weights, either embedded as `raw_data` (models
 * under the 2 GiB protobuf limit) or, with `externalData`, as references into one safetensors
 * file (`offset = 8 + headerLength + begin`, `length = end - begin`), except the initializers
 * ONNX Runtime needs inside the model (`WriteOnnxResult.keptEmbedded`). The input model is not
 * changed and shares every untouched part with the result. Strict by default.
 *
 * @example
 * const onnx = await writeOnnx(graphBytes, checkpoint, { externalData: 'model.safetensors' });
 * onnx.externalFiles.get('model.safetensors'); // the safetensors file, to save beside the model
 */
export async function writeOnnx(
  model: OnnxModel | Uint8Array,
  checkpoint: Checkpoint,
  options: WriteOnnxOptions = {},
): Promise<OnnxModel> {
  return (await writeOnnxWithReport(toOnnxModel(model), checkpoint, options)).model;
}

/**
 * `writeOnnx` that also returns the write report (what was loaded, missing, unexpected,
 * mismatched, and which mapping steps ran) and, with `externalData`, the initializers kept
 * embedded for ONNX Runtime. Used by `onnxCheckpoint().write`.
 *
 * @example
 * const { model, report } = await writeOnnxWithReport(onnx, checkpoint, { strict: false });
 * report.missing.map((entry) => entry.name);
 */
export async function writeOnnxWithReport(
  model: OnnxModel,
  checkpoint: Checkpoint,
  options: WriteOnnxOptions = {},
): Promise<WriteOnnxResult> {
  const { source, report } = planOnnxWrite(model, checkpoint, options);
  const loaded = new Set(report.loaded);
  if (options.externalData === undefined) {
    checkEmbeddedSize(model, source, loaded);
    const proto = rewriteModel(model.proto, {
      initializer(tensor, name) {
        const replacement = loaded.has(name) ? source.tensors.get(name) : undefined;
        return replacement === undefined ? undefined : embedTensorData(tensor, replacement.data);
      },
    });
    return {
      model: { ...model, proto, externalFiles: new Map(model.externalFiles) },
      report,
      keptEmbedded: new Map(),
    };
  }
  const location = options.externalData;
  const normalized = normalizeLocation(location, '<externalData option>', model.name);
  const kept = await keptTensorsInFile(model, loaded, normalized);
  const file = encodeSafetensors(source);
  const header = parseSafetensorsHeader(file);
  const proto = rewriteModel(model.proto, {
    initializer(tensor, name) {
      const keptData = kept.get(name);
      if (keptData !== undefined) return embedTensorData(tensor, keptData);
      return loaded.has(name) ? safetensorsTensorData(tensor, name, location, header) : undefined;
    },
  });
  const externalFiles = new Map(model.externalFiles);
  externalFiles.set(location, file);
  // Read back from the new file in memory (views, no copy) for the few ORT needs embedded.
  const loadable = await embedKeptInitializers({ ...model, proto, externalFiles });
  return { model: loadable.model, report, keptEmbedded: loadable.keptEmbedded };
}

/**
 * Map (if asked) and match a checkpoint against a model's initializers; throws the strict
 * `CheckpointMismatchError` listing every problem. Returns the mapped checkpoint and report.
 *
 * @example
 * const { report } = planOnnxWrite(model, checkpoint, { strict: false });
 */
export function planOnnxWrite(
  model: OnnxModel,
  checkpoint: Checkpoint,
  options: Pick<WriteOnnxOptions, 'strict' | 'mapping'> = {},
): { source: Checkpoint; report: WriteReport } {
  const expected = onnxTensorSpecs(model);
  let source = checkpoint;
  let steps: readonly MappingStep[] = [];
  if (options.mapping !== undefined) {
    const mapped = options.mapping.map(checkpoint, expected);
    source = mapped.checkpoint;
    steps = mapped.steps;
  }
  const report = planCheckpointWrite(expected, source, steps);
  if ((options.strict ?? true) && !isCompleteWrite(report)) {
    throw new CheckpointMismatchError('onnxruntime', report, model.name);
  }
  // Dtypes and shapes match; the bytes must fit them too, or the model would carry a short tensor.
  for (const name of report.loaded) checkTensor(source.tensors.get(name)!, name);
  return { source, report };
}

/**
 * Initializers the write leaves alone (non-strict) but whose data lives in the very file the
 * write replaces: their bytes are read now and embedded, or they would point into the new file.
 */
async function keptTensorsInFile(
  model: OnnxModel,
  loaded: ReadonlySet<string>,
  normalized: string,
): Promise<Map<string, Uint8Array>> {
  const pending: Array<{ name: string; tensor: TensorProto }> = [];
  forEachInitializer(model.proto, (tensor, name) => {
    if (loaded.has(name) || tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    const location = tensor.externalData.find((entry) => entry.key === 'location')?.value ?? '';
    if (normalizeLocation(location, name, model.name) === normalized)
      pending.push({ name, tensor });
  });
  const kept = new Map<string, Uint8Array>();
  if (pending.length === 0) return kept;
  const reader = new ExternalDataReader(model);
  try {
    for (const { name, tensor } of pending) {
      kept.set(name, (await tensorProtoToCheckpointTensor(tensor, name, model.name, reader)).data);
    }
  } finally {
    await reader.close();
  }
  return kept;
}

function checkEmbeddedSize(
  model: OnnxModel,
  checkpoint: Checkpoint,
  loaded: ReadonlySet<string>,
): void {
  let total = 0;
  for (const name of loaded) total += checkpoint.tensors.get(name)?.data.byteLength ?? 0;
  if (total > PROTOBUF_SIZE_LIMIT) {
    throw new OnnxError({
      code: 'ONNX_MODEL_TOO_LARGE',
      message: `${total} bytes of weights cannot be embedded under the 2 GiB protobuf limit: pass { externalData: 'model.safetensors' }`,
      file: model.name,
    });
  }
}
