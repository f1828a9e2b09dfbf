import {
  type ByteSource,
  type Checkpoint,
  type CheckpointFiles,
  CheckpointMismatchError,
  type HttpSourceOptions,
  isByteSource,
  isCheckpointFiles,
  isCompleteWrite,
  isHttpUrl,
  openByteSource,
  planCheckpointWrite,
  type SourceInput,
  type TensorSpec,
  toStorageArray,
  urlFiles,
} from '@reprokit/core';
import type { LayersModel, Variable } from '@tensorflow/tfjs';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { checkpointDtype, tfjsDtype } from '../checkpoint/tfjs-dtype.js';
import type { TfjsModule } from '../tfjs-module.js';
import { buildWithPlaceholderWeights } from './build-with-placeholder-weights.js';
import { SafetensorsIOError } from './safetensors-io-error.js';
import { readTensorBytes } from './safetensors-model-source.js';
import { isShardedIndexName, openStoredWeights, type StoredWeights } from './stored-weights.js';

export interface LoadFromSafetensorsOptions {
  /**
   * Default `true`: a missing, unexpected or mismatched tensor throws `CheckpointMismatchError`
   * and no model is returned. `false`: the model is built with its real initializers and gets
   * the tensors that fit; the others keep their initial values.
   */
  strict?: boolean;
  /** Abandon the load (between reads): it rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Options of the HTTP sources opened for a URL input (`fetch`, `headers`, `retries`,
   * `onProgress`, ...); see `httpSource`.
   */
  http?: HttpSourceOptions;
  /** Called after each layer's weights are in the model. Must not throw. */
  onProgress?: (progress: LoadProgress) => void;
}

/** How far a load has got, after each layer. */
export interface LoadProgress {
  /** Tensor bytes read and in the model so far. */
  readonly loadedBytes: number;
  /** Tensor bytes the load reads in all. */
  readonly totalBytes: number;
  /** Layers whose weights are in the model so far. */
  readonly loadedLayers: number;
  readonly layerCount: number;
  /** The layer just loaded (its checkpoint name prefix, e.g. `dense_1`). */
  readonly layer: string;
}

/** What the direct load takes: one file anywhere, or a checkpoint's files (sharded ones too). */
export type LoadLayersModelInput = SourceInput | CheckpointFiles;

/**
 * Load a layers model saved as safetensors (`model.save(safetensorsIO(...))`, or any
 * safetensors checkpoint with `tfjs.modelTopology` in its metadata) without
 * `tf.loadLayersModel`: the model is built from the topology without running its initializers
 * (the slow part of tfjs' route, which draws random weights it then overwrites), then its
 * weights are streamed in layer by layer: the tensors of one layer are read by range (together,
 * so an HTTP source merges them into one request), each straight into the buffer the model
 * keeps, and assigned before the next layer is read. Peak memory stays near the size of the
 * weights plus one layer, whether the checkpoint is in memory, a `Blob`, a local file or on an
 * HTTP server.
 *
 * Takes bytes, a `Blob`/`File`, a `ByteSource`, an `http(s)` URL (of a safetensors file or of a
 * sharded checkpoint's `model.safetensors.index.json`), or `CheckpointFiles` (`blobFiles`,
 * `urlFiles`, `folderFiles`) for sharded checkpoints; in Node, `@reprokit/tfjs/node` also takes
 * a path. When a read fails mid-way (a dropped connection after its retries, a file replaced on
 * the server: a `ByteSourceError`), the half-loaded model is disposed and the error thrown:
 * no model is returned, no tensor is left behind. The built model's config keeps its original
 * initializers. Optimizer state (`optimizer/...`) is not loaded; use `loadTrainingState`.
 *
 * @example
 * const model = await loadLayersModelFromSafetensors(
 *   tf,
 *   'https://cdn.example.com/model.safetensors.index.json',
 *   { onProgress: ({ loadedBytes, totalBytes }) => bar.update(loadedBytes / totalBytes) },
 * );
 * model.predict(input);
 */
export async function loadLayersModelFromSafetensors(
  tf: TfjsModule,
  input: LoadLayersModelInput,
  options: LoadFromSafetensorsOptions = {},
): Promise<LayersModel> {
  const { files, owned } = await openInputFiles(input, options.http);
  try {
    return await loadLayersModelFromFiles(tf, files, options);
  } finally {
    if (owned) await files.entry.close();
  }
}

/** The checkpoint files of an input, and whether the load opened (and so closes) them. */
async function openInputFiles(
  input: LoadLayersModelInput,
  http: HttpSourceOptions | undefined,
): Promise<{ files: CheckpointFiles; owned: boolean }> {
  if (isCheckpointFiles(input)) return { files: input, owned: false };
  if (isHttpUrl(input) && isShardedIndexName(String(input))) {
    return { files: await urlFiles(input as URL | string, http), owned: true };
  }
  const source = await openByteSource(input, undefined, http);
  return { files: singleFileFiles(source), owned: !isByteSource(input) };
}

/** One file alone: a sharded index given this way cannot reach its shards. */
export function singleFileFiles(entry: ByteSource): CheckpointFiles {
  return {
    entry,
    async open(name) {
      throw new SafetensorsIOError({
        code: 'TFJS_IO_CANNOT_OPEN',
        message: `cannot open the shard ${JSON.stringify(name)}: the index was given as a lone file; pass its URL, a path (in Node) or CheckpointFiles (blobFiles, urlFiles, folderFiles)`,
        file: entry.name,
      });
    },
  };
}

/**
 * The load itself, from open files the caller closes. `allocate` makes the buffers tensors
 * are read into (Node passes an allocation without zero fill: every byte is read over).
 */
export async function loadLayersModelFromFiles(
  tf: TfjsModule,
  files: CheckpointFiles,
  options: LoadFromSafetensorsOptions,
  allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Promise<LayersModel> {
  const stored = await openStoredWeights(files);
  try {
    return await loadStoredWeights(tf, stored, options, allocate);
  } finally {
    await stored.close();
  }
}

async function loadStoredWeights(
  tf: TfjsModule,
  stored: StoredWeights,
  options: LoadFromSafetensorsOptions,
  allocate: (length: number) => Uint8Array,
): Promise<LayersModel> {
  const { modelTopology } = stored;
  const specs = new Map<string, TensorSpec>();
  for (const [name, info] of stored.tensors) {
    if (!name.startsWith(OPTIMIZER_PREFIX))
      specs.set(name, { dtype: info.dtype, shape: info.shape });
  }
  let model = await buildWithPlaceholderWeights(tf, modelTopology);
  try {
    let weights = checkpointWeights(model);
    // Only names, dtypes and shapes are compared: the plan needs no tensor bytes.
    const report = planCheckpointWrite(expectedSpecs(weights), {
      tensors: specs as ReadonlyMap<string, TensorSpec> as Checkpoint['tensors'],
      metadata: new Map(),
    });
    if (!isCompleteWrite(report)) {
      if (options.strict ?? true) {
        throw new CheckpointMismatchError('tfjs-io', report, `the model in ${stored.name}`);
      }
      // Weights the file lacks must get their real initial values: build again, initializers on.
      model.dispose();
      model = await tf.models.modelFromJSON({
        modelTopology: modelTopology as Parameters<
          TfjsModule['models']['modelFromJSON']
        >[0]['modelTopology'],
      });
      weights = checkpointWeights(model);
    }
    const loaded = new Set(report.loaded);
    const layers = groupByLayer(weights.filter((weight) => loaded.has(weight.name)));
    const totalBytes = report.loaded.reduce(
      (sum, name) => sum + stored.tensors.get(name)!.length,
      0,
    );
    let loadedBytes = 0;
    for (const [position, layer] of layers.entries()) {
      // The layer's reads go out together: an HTTP source merges neighbouring ones.
      const read = await Promise.all(
        layer.weights.map(async (weight) => {
          const info = stored.tensors.get(weight.name)!;
          const data = allocate(info.length);
          await readTensorBytes(info.source, info.offset, data, weight.name, options.signal);
          return { weight, info, data };
        }),
      );
      for (const { weight, info, data } of read) {
        // A view of `data` (it is aligned and little-endian on every mainstream host).
        const values = toStorageArray({ dtype: info.dtype, shape: info.shape, data }) as
          | Float32Array
          | Int32Array
          | Uint8Array;
        const value = tf.tensor(values, [...info.shape], tfjsDtype(info.dtype)!);
        // The variable takes the tensor's storage: no copy on the cpu backend. Assigning to the
        // tf.Variable itself skips LayerVariable.write's constraints, as a saved model needs.
        (weight.variable.read() as Variable).assign(value);
        value.dispose();
        loadedBytes += info.length;
      }
      options.onProgress?.({
        loadedBytes,
        totalBytes,
        loadedLayers: position + 1,
        layerCount: layers.length,
        layer: layer.name,
      });
    }
    const trainingConfig = stored.metadata.get(TFJS_METADATA_KEYS.trainingConfig);
    if (trainingConfig !== undefined) {
      model.loadTrainingConfig(
        parseMetadataJson(
          trainingConfig,
          TFJS_METADATA_KEYS.trainingConfig,
          stored.name,
        ) as Parameters<LayersModel['loadTrainingConfig']>[0],
      );
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Consecutive weights of one layer (the same name up to the last `/`), in model order. */
function groupByLayer(
  weights: ReturnType<typeof checkpointWeights>,
): Array<{ name: string; weights: ReturnType<typeof checkpointWeights> }> {
  const layers: Array<{ name: string; weights: ReturnType<typeof checkpointWeights> }> = [];
  for (const weight of weights) {
    const name = weight.name.slice(0, Math.max(0, weight.name.lastIndexOf('/')));
    const last = layers.at(-1);
    if (last !== undefined && last.name === name) last.weights.push(weight);
    else layers.push({ name, weights: [weight] });
  }
  return layers;
}

function expectedSpecs(weights: ReturnType<typeof checkpointWeights>): Map<string, TensorSpec> {
  return new Map(
    weights.map((weight) => [
      weight.name,
      {
        dtype: checkpointDtype(weight.variable.dtype, weight.name),
        shape: weight.variable.shape as number[],
      },
    ]),
  );
}
