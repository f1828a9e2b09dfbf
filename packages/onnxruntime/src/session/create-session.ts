import { encodeOnnxModel } from '../model/encode-onnx-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { applySeeds } from '../seed/apply-seeds.js';
import { isOnnxSeedControl, type OnnxSeedControl } from '../seed/onnx-seed-control.js';
import { embedKeptInitializers } from '../tensor/embed-kept-initializers.js';
import { collectExternalData } from './collect-external-data.js';
import {
  type DeterminismOptions,
  deterministicSessionOptions,
  mergeSessionOptions,
} from './deterministic-session-options.js';
import { externalDataFetchError } from './external-data-fetch-error.js';
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
  /**
   * onnxruntime-web: the URL of an external data file (by its location as written in the
   * model), which ORT then fetches itself, once and whole (no ranges), with the page's `fetch`;
   * reprokit reads none of it, so does not check it against the model. `undefined` for a file
   * reprokit should read by range. Without it, external data not held in memory is read by
   * range: only the initializers' bytes. A file that cannot be fetched (an error status, no
   * response) throws `OnnxError` `ONNX_EXTERNAL_DATA_MISSING` naming the URL. onnxruntime-node
   * takes no URLs here (its binding throws a `TypeError`): in Node, open the model by path or
   * URL and let reprokit read its data.
   */
  externalDataUrl?: (location: string) => string | undefined;
  /** Passed to ORT last (they win), except that `externalData` lists are concatenated. */
  sessionOptions?: SessionOptions;
}

/**
 * An ONNX Runtime `InferenceSession` for `model` (bytes or `OnnxModel`), with weights from
 * `checkpoint` handed over in memory through `sessionOptions.externalData` (no temp files, no
 * re-encoding of the weights), random nodes seeded, and determinism settings applied.
 * `ort` is the runtime module, passed in so that onnxruntime-node and onnxruntime-web both
 * work. External data the model already references is handed over from `model.externalFiles`,
 * or read through `model.files` by range, only the initializers' bytes (a model opened from a
 * URL with `openOnnxModel` reads its data file with HTTP range requests); with
 * `externalDataUrl`, onnxruntime-web fetches the file itself. `@reprokit/onnxruntime/node` adds
 * model paths and URLs.
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
  const collected = await collectExternalData(prepared, {
    externalDataUrl: options.externalDataUrl,
  });
  prepared = collected.model;
  const externalData = collected.entries;
  const determinism =
    options.deterministic === undefined || options.deterministic === false
      ? undefined
      : deterministicSessionOptions(options.deterministic === true ? {} : options.deterministic);
  const sessionOptions = mergeSessionOptions(
    determinism,
    externalData.length > 0 ? { externalData } : undefined,
    options.sessionOptions as Record<string, unknown> | undefined,
  );
  try {
    return (await ort.InferenceSession.create(
      encodeOnnxModel(prepared),
      sessionOptions,
    )) as OrtSession<M>;
  } catch (error) {
    throw externalDataFetchError(error, externalData) ?? error;
  }
}
