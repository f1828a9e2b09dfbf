import { TensorProto_DataLocation } from 'onnx-buf';
import { forEachInitializer } from '../graph/rewrite-model.js';
import { encodeOnnxModel } from '../model/encode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { applySeeds } from '../seed/apply-seeds.js';
import { isOnnxSeedControl, type OnnxSeedControl } from '../seed/onnx-seed-control.js';
import { embedKeptInitializers } from '../tensor/embed-kept-initializers.js';
import { parseExternalDataReference } from '../tensor/external-data-location.js';
import { ExternalDataReader } from '../tensor/external-data-reader.js';
import {
  type DeterminismOptions,
  deterministicSessionOptions,
  mergeSessionOptions,
} from './deterministic-session-options.js';
import type { OrtModule, OrtSession, OrtSessionOptions } from './ort-module.js';
import { prepareSessionModel, type SessionWeightsOptions } from './prepare-session-model.js';

export interface CreateSessionOptions<SessionOptions = Record<string, unknown>>
  extends SessionWeightsOptions {
  /**
   * Seeds for the model's random nodes (see `applySeeds`): a seed, or an `onnxSeedControl()`
   * whose next per-session seed is used (none while it is unseeded). Without it, random nodes
   * are left as they are and ORT seeds them from its own generator.
   */
  seed?: number | string | OnnxSeedControl;
  /** `true` or settings: merge `deterministicSessionOptions()` under `sessionOptions`. */
  deterministic?: boolean | DeterminismOptions;
  /** Passed to ORT last (they win), except that `externalData` lists are concatenated. */
  sessionOptions?: SessionOptions;
}

/**
 * An ONNX Runtime `InferenceSession` for `model` (bytes or `OnnxModel`), with weights from
 * `checkpoint` handed over in memory through `sessionOptions.externalData` (no temp files, no
 * re-encoding of the weights), random nodes seeded, and determinism settings applied.
 * `ort` is the runtime module, passed in so that onnxruntime-node and onnxruntime-web both
 * work. External data the model already references is read from `model.externalFiles` or
 * through `model.files`. `@reprokit/onnxruntime/node` adds model paths.
 *
 * @example
 * import * as ort from 'onnxruntime-web';
 * const onnx = onnxSeedControl();
 * seedEverything(42, { controls: [onnx] });
 * const session = await createSession(ort, graphBytes, {
 *   checkpoint: new Uint8Array(await (await fetch('model.safetensors')).arrayBuffer()),
 *   seed: onnx,
 *   deterministic: true,
 * });
 */
export async function createSession<M extends OrtModule>(
  ort: M,
  model: OnnxModel | Uint8Array,
  options: CreateSessionOptions<OrtSessionOptions<M>> = {},
): Promise<OrtSession<M>> {
  let prepared = prepareSessionModel(model, options);
  const seed = isOnnxSeedControl(options.seed) ? options.seed.nextSessionSeed() : options.seed;
  if (seed !== undefined) prepared = applySeeds(prepared, seed).model;
  prepared = (await embedKeptInitializers(prepared)).model;
  const externalData = await collectExternalData(prepared);
  const determinism =
    options.deterministic === undefined || options.deterministic === false
      ? undefined
      : deterministicSessionOptions(options.deterministic === true ? {} : options.deterministic);
  const sessionOptions = mergeSessionOptions(
    determinism,
    externalData.length > 0 ? { externalData } : undefined,
    options.sessionOptions as Record<string, unknown> | undefined,
  );
  return (await ort.InferenceSession.create(
    encodeOnnxModel(prepared),
    sessionOptions,
  )) as OrtSession<M>;
}

/** Every external file the model references, as in-memory `{ path, data }` entries for ORT. */
async function collectExternalData(
  model: OnnxModel,
): Promise<Array<{ path: string; data: Uint8Array }>> {
  const files = new Map<
    string,
    { reference: ReturnType<typeof parseExternalDataReference>; tensor: string }
  >();
  const entries: Array<{ path: string; data: Uint8Array }> = [];
  const reader = new ExternalDataReader(model);
  try {
    forEachInitializer(model.proto, (tensor, name) => {
      if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
      const reference = parseExternalDataReference(tensor, name, model.name);
      if (!files.has(reference.location))
        files.set(reference.location, { reference, tensor: name });
    });
    for (const [location, { reference, tensor }] of files) {
      // Whole file, through the same checks as readOnnxCheckpoint.
      const whole = { ...reference, offset: 0, length: undefined };
      entries.push({ path: location, data: await reader.read(whole, tensor) });
    }
  } finally {
    await reader.close();
  }
  return entries;
}
