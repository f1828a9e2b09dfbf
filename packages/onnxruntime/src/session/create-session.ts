import {
  type Checkpoint,
  CheckpointMismatchError,
  createCheckpoint,
  isCompleteWrite,
  parseSafetensorsHeader,
  planCheckpointWrite,
  type WeightMapping,
} from '@reprokit/core';
import { type TensorProto, TensorProto_DataLocation } from 'onnx-buf';
import type { InferenceSession } from 'onnxruntime-common';
import { onnxTensorSpecs } from '../checkpoint/read-onnx-checkpoint.js';
import { planOnnxWrite } from '../checkpoint/write-onnx.js';
import { forEachInitializer, rewriteModel } from '../graph/rewrite-model.js';
import { encodeOnnxModel } from '../model/encode-onnx-model.js';
import { loadOnnxModel } from '../model/load-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { applySeeds } from '../seed/apply-seeds.js';
import { nextSessionSeed } from '../seed/onnx-seed-control.js';
import {
  embedTensorData,
  externalTensorData,
  safetensorsTensorData,
} from '../tensor/checkpoint-tensor-to-tensor-proto.js';
import { normalizeLocation } from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import { tensorProtoToCheckpointTensor } from '../tensor/tensor-proto-to-checkpoint-tensor.js';
import {
  type DeterminismOptions,
  deterministicSessionOptions,
  mergeSessionOptions,
} from './deterministic-session-options.js';
import type { OrtModule } from './ort-module.js';

/** Name under which safetensors bytes are handed to ORT; only ever seen by ORT. */
export const SESSION_WEIGHTS_LOCATION = 'reprokit-weights.safetensors';

/** Prefix of the per-tensor in-memory files made from a `Checkpoint`; only ever seen by ORT. */
export const SESSION_TENSOR_LOCATION_PREFIX = 'reprokit-tensor-';

export interface CreateSessionOptions {
  /**
   * Weights for the session: a `Checkpoint`, or the bytes of a safetensors file (used as they
   * are, zero copy: the initializers point straight into them).
   */
  checkpoint?: Checkpoint | Uint8Array;
  /** Strict by default: a checkpoint that does not fit throws `CheckpointMismatchError`. */
  strict?: boolean;
  /** Rename or re-layout the checkpoint first (a `Checkpoint` only). */
  mapping?: WeightMapping;
  /**
   * Seed for the model's random nodes (see `applySeeds`). Default: the seed of the active
   * `onnxSeedControl()`, if any. `false`: leave random nodes as they are.
   */
  seed?: number | string | false;
  /** `true` or settings: merge `deterministicSessionOptions()` under `sessionOptions`. */
  deterministic?: boolean | DeterminismOptions;
  /** Passed to ORT last (they win), except that `externalData` lists are concatenated. */
  sessionOptions?: InferenceSession.SessionOptions;
}

/**
 * An ONNX Runtime `InferenceSession` for `model` (path, bytes or `OnnxModel`), with weights
 * from `checkpoint` handed over in memory through `sessionOptions.externalData` (no temp
 * files, no re-encoding of the weights), random nodes seeded, and determinism settings applied.
 * `ort` is the runtime module, passed in so that onnxruntime-node and onnxruntime-web both work.
 * External data the model already references is read from `model.externalFiles` or its folder.
 *
 * @example
 * import * as ort from 'onnxruntime-node';
 * const session = await createSession(ort, 'graph.onnx', {
 *   checkpoint: await readFile('model.safetensors'),
 *   seed: 42,
 *   deterministic: true,
 * });
 */
export async function createSession(
  ort: OrtModule,
  model: OnnxModel | Uint8Array | string,
  options: CreateSessionOptions = {},
): Promise<InferenceSession> {
  let prepared = await prepareSessionModel(model, options);
  const seed = options.seed === undefined ? nextSessionSeed() : options.seed;
  if (seed !== undefined && seed !== false) prepared = applySeeds(prepared, seed).model;
  prepared = await embedSubgraphExternalData(prepared);
  const externalData = await collectExternalData(prepared);
  const determinism =
    options.deterministic === undefined || options.deterministic === false
      ? undefined
      : deterministicSessionOptions(options.deterministic === true ? {} : options.deterministic);
  const sessionOptions = mergeSessionOptions(
    determinism,
    externalData.length > 0 ? { externalData } : undefined,
    options.sessionOptions,
  );
  return ort.InferenceSession.create(encodeOnnxModel(prepared), sessionOptions);
}

/**
 * The model `createSession` hands to ORT, before seeding: the checkpoint's tensors turned
 * into external data references. Exported for tools that want the bytes without a session.
 *
 * @example
 * const ready = await prepareSessionModel('graph.onnx', { checkpoint: safetensorsBytes });
 * ready.externalFiles.get(SESSION_WEIGHTS_LOCATION) === safetensorsBytes; // true
 */
export async function prepareSessionModel(
  model: OnnxModel | Uint8Array | string,
  options: Pick<CreateSessionOptions, 'checkpoint' | 'strict' | 'mapping'> = {},
): Promise<OnnxModel> {
  const loaded = await loadOnnxModel(model);
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
    throw new CheckpointMismatchError('onnxruntime', report, loaded.source);
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

/**
 * ORT 1.30 resolves in-memory `externalData` for the main graph only: an If/Loop/Scan body
 * initializer pointing at it fails with "should be stored in <location>, but it is not regular
 * file" (measured). Subgraph weights are small in practice, so they are embedded instead.
 */
async function embedSubgraphExternalData(model: OnnxModel): Promise<OnnxModel> {
  const pending: Array<{ name: string; tensor: TensorProto }> = [];
  forEachInitializer(model.proto, (tensor, name, graphPath) => {
    if (graphPath.length > 0 && tensor.dataLocation === TensorProto_DataLocation.EXTERNAL) {
      pending.push({ name, tensor });
    }
  });
  if (pending.length === 0) return model;
  const reader = new ExternalDataReader(model);
  const data = new Map<TensorProto, Uint8Array>();
  try {
    for (const { name, tensor } of pending) {
      data.set(
        tensor,
        (await tensorProtoToCheckpointTensor(tensor, name, model.source, reader)).data,
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
  return { ...model, proto };
}

/** Every external file the model references, as in-memory `{ path, data }` entries for ORT. */
async function collectExternalData(
  model: OnnxModel,
): Promise<Array<{ path: string; data: Uint8Array }>> {
  const locations = new Map<string, { normalized: string; tensor: string }>();
  forEachInitializer(model.proto, (tensor, name) => {
    if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    const location = tensor.externalData.find((entry) => entry.key === 'location')?.value ?? '';
    if (!locations.has(location)) {
      locations.set(location, {
        normalized: normalizeLocation(location, name, model.source),
        tensor: name,
      });
    }
  });
  const entries: Array<{ path: string; data: Uint8Array }> = [];
  const reader = new ExternalDataReader(model);
  try {
    for (const [location, { normalized, tensor }] of locations) {
      let data = model.externalFiles.get(location) ?? model.externalFiles.get(normalized);
      if (data === undefined && model.folder !== undefined) {
        // Whole file, through the same folder and symlink checks as readOnnxCheckpoint.
        data = await reader.read(
          { location, normalizedLocation: normalized, offset: 0, length: undefined },
          tensor,
        );
      }
      // Left out when unknown: ORT then reports the missing file itself, naming it.
      if (data !== undefined) entries.push({ path: location, data });
    }
  } finally {
    await reader.close();
  }
  return entries;
}
