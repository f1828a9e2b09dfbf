import {
  type ByteSource,
  type Checkpoint,
  CheckpointMismatchError,
  isByteSource,
  isCompleteWrite,
  openByteSource,
  planCheckpointWrite,
  type SourceInput,
  type TensorSpec,
  toStorageArray,
} from '@reprokit/core';
import type { LayersModel, Variable } from '@tensorflow/tfjs';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { checkpointDtype, tfjsDtype } from '../checkpoint/tfjs-dtype.js';
import type { TfjsModule } from '../tfjs-module.js';
import { buildWithPlaceholderWeights } from './build-with-placeholder-weights.js';
import { readModelHeader, readTensorBytes } from './safetensors-model-source.js';

export interface LoadFromSafetensorsOptions {
  /**
   * Default `true`: a missing, unexpected or mismatched tensor throws `CheckpointMismatchError`
   * and no model is returned. `false`: the model is built with its real initializers and gets
   * the tensors that fit; the others keep their initial values.
   */
  strict?: boolean;
  /** Abandon the load (between reads): it rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Load a layers model saved as safetensors (`model.save(safetensorsIO(...))`, or any
 * safetensors file with `tfjs.modelTopology` in its metadata) without `tf.loadLayersModel`: the
 * model is built from the topology without running its initializers (the slow part of tfjs'
 * route, which draws random weights it then overwrites), then each tensor is read on its own
 * into a buffer the model keeps, so loading costs little more than reading the bytes and peak
 * memory stays near the size of the weights. Takes bytes, a `Blob`/`File` or a `ByteSource`; in
 * Node, `@reprokit/tfjs/node` also takes a path. The built model's config keeps its original
 * initializers. Optimizer state (`optimizer/...`) is not loaded; use `loadTrainingState`.
 *
 * @example
 * const model = await loadLayersModelFromSafetensors(tf, droppedFile);
 * model.predict(input);
 */
export async function loadLayersModelFromSafetensors(
  tf: TfjsModule,
  input: SourceInput,
  options: LoadFromSafetensorsOptions = {},
): Promise<LayersModel> {
  const owned = !isByteSource(input);
  const source = await openByteSource(input);
  try {
    return await loadLayersModelFromSource(tf, source, options);
  } finally {
    if (owned) await source.close();
  }
}

/**
 * The load itself, from an open source the caller closes. `allocate` makes the buffers tensors
 * are read into (Node passes an allocation without zero fill: every byte is read over).
 */
export async function loadLayersModelFromSource(
  tf: TfjsModule,
  source: ByteSource,
  options: LoadFromSafetensorsOptions,
  allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Promise<LayersModel> {
  const { header, modelTopology } = await readModelHeader(source);
  const stored = new Map<string, TensorSpec>();
  for (const [name, info] of header.tensors) {
    if (!name.startsWith(OPTIMIZER_PREFIX))
      stored.set(name, { dtype: info.dtype, shape: info.shape });
  }
  let model = await buildWithPlaceholderWeights(tf, modelTopology);
  try {
    let weights = checkpointWeights(model);
    // Only names, dtypes and shapes are compared: the plan needs no tensor bytes.
    const report = planCheckpointWrite(expectedSpecs(weights), {
      tensors: stored as ReadonlyMap<string, TensorSpec> as Checkpoint['tensors'],
      metadata: new Map(),
    });
    if (!isCompleteWrite(report)) {
      if (options.strict ?? true) {
        throw new CheckpointMismatchError('tfjs-io', report, `the model in ${source.name}`);
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
    const byName = new Map(weights.map((weight) => [weight.name, weight]));
    for (const name of report.loaded) {
      const info = header.tensors.get(name)!;
      const data = allocate(info.end - info.begin);
      await readTensorBytes(source, header.dataStart + info.begin, data, name, options.signal);
      const dtype = tfjsDtype(info.dtype)!;
      // A view of `data` (it is aligned and little-endian on every mainstream host).
      const values = toStorageArray({ dtype: info.dtype, shape: info.shape, data }) as
        | Float32Array
        | Int32Array
        | Uint8Array;
      const value = tf.tensor(values, [...info.shape], dtype);
      // The variable takes the tensor's storage: no copy on the cpu backend. Assigning to the
      // tf.Variable itself skips LayerVariable.write's constraints, as a saved model needs.
      (byName.get(name)!.variable.read() as Variable).assign(value);
      value.dispose();
    }
    const trainingConfig = header.metadata.get(TFJS_METADATA_KEYS.trainingConfig);
    if (trainingConfig !== undefined) {
      model.loadTrainingConfig(
        parseMetadataJson(
          trainingConfig,
          TFJS_METADATA_KEYS.trainingConfig,
          source.name,
        ) as Parameters<LayersModel['loadTrainingConfig']>[0],
      );
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
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
