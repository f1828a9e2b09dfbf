import {
  CheckpointMismatchError,
  createCheckpoint,
  isCompleteWrite,
  openSafetensors,
  planCheckpointWrite,
  type SafetensorsFile,
  type WriteReport,
} from '@reprokit/core';
import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
import type { TfModule } from '../checkpoint/tf-module.js';
import { checkpointDtype, tfjsDtype } from '../checkpoint/tfjs-dtype.js';
import { SafetensorsIOError } from './safetensors-io-error.js';

export interface LoadFromSafetensorsOptions {
  /** The tfjs module to build the model with (needs `models`, `serialization`, `tensor`, `zeros`). */
  tf: TfModule;
  /** Default `true`: a missing, unexpected or mismatched tensor throws `CheckpointMismatchError`. */
  strict?: boolean;
}

/**
 * Load a layers model saved with `safetensorsIO` (or any safetensors file with
 * `tfjs.modelTopology` metadata) without going through `tf.loadLayersModel`: the model is built
 * from the topology with initializers producing zeros instead of random values (the slow part
 * of tfjs' route; no random numbers are drawn), then each weight is read from the file on its
 * own and assigned without a further copy, so peak memory stays near the size of the weights.
 * The built model's config keeps its original initializers. Optimizer state (`optimizer/...`)
 * is ignored here; use `loadTrainingState` for it.
 *
 * @example
 * const model = await loadLayersModelFromSafetensors('model.safetensors', { tf });
 */
export async function loadLayersModelFromSafetensors(
  path: string,
  options: LoadFromSafetensorsOptions,
): Promise<LayersModel> {
  const { tf } = options;
  let file: SafetensorsFile;
  try {
    file = await openSafetensors(path);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message: `cannot open the safetensors file: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
  let model: LayersModel | undefined;
  try {
    const topologyText = file.header.metadata.get(TFJS_METADATA_KEYS.modelTopology);
    if (topologyText === undefined) {
      throw new SafetensorsIOError({
        code: 'TFJS_IO_NO_TOPOLOGY',
        message: `the file has no "${TFJS_METADATA_KEYS.modelTopology}" in __metadata__ to build a model from`,
        file: path,
      });
    }
    model = await buildWithZeroInitializers(tf, JSON.parse(topologyText), path);
    const weights = checkpointWeights(model);
    const expected = new Map(
      weights.map((weight) => [
        weight.name,
        {
          dtype: checkpointDtype(weight.variable.dtype, weight.name),
          shape: weight.variable.shape as number[],
        },
      ]),
    );
    const stored = createCheckpoint(
      [...file.header.tensors]
        .filter(([name]) => !name.startsWith(OPTIMIZER_PREFIX))
        .map(([name, info]) => [
          name,
          { dtype: info.dtype, shape: info.shape, data: new Uint8Array(0) },
        ]),
    );
    const report: WriteReport = planCheckpointWrite(expected, stored);
    if ((options.strict ?? true) && !isCompleteWrite(report)) {
      throw new CheckpointMismatchError('tfjs-io', report, `the model in ${path}`);
    }
    const byName = new Map(weights.map((weight) => [weight.name, weight]));
    for (const name of report.loaded) {
      const tensor = await file.readTensor(name);
      const dtype = tfjsDtype(tensor.dtype)!;
      const value = tf.tensor(ownedView(dtype, tensor.data), [...tensor.shape], dtype);
      (byName.get(name)!.variable.read() as Variable).assign(value);
      value.dispose();
    }
    const trainingConfig = file.header.metadata.get(TFJS_METADATA_KEYS.trainingConfig);
    if (trainingConfig !== undefined) model.loadTrainingConfig(JSON.parse(trainingConfig));
    return model;
  } catch (error) {
    model?.dispose();
    throw error;
  } finally {
    await file.close();
  }
}

/** A typed view over bytes the caller owns; copies only if they are not 4-byte aligned. */
function ownedView(
  dtype: 'float32' | 'int32' | 'bool',
  data: Uint8Array,
): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'bool') return data;
  const aligned = data.byteOffset % 4 === 0 ? data : new Uint8Array(data);
  return dtype === 'float32'
    ? new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4)
    : new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

interface SerializableClass {
  prototype: { apply?: (shape: number[], dtype?: string) => Tensor };
}

/**
 * Build a model from its topology while every registered initializer returns zeros. The
 * initializers are patched on their prototypes only for the duration of the build.
 */
async function buildWithZeroInitializers(
  tf: TfModule,
  modelTopology: unknown,
  path: string,
): Promise<LayersModel> {
  if (tf.models === undefined || tf.serialization === undefined) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_TF_MODULE',
      message:
        'the tf module passed in has no `models` or `serialization`; pass the full @tensorflow/tfjs module',
      file: path,
    });
  }
  const classes = tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<
    string,
    [SerializableClass, unknown]
  >;
  const zeros = classes.Zeros?.[0];
  const initializerBase = zeros === undefined ? undefined : Object.getPrototypeOf(zeros.prototype);
  const patched: Array<[SerializableClass['prototype'], SerializableClass['prototype']['apply']]> =
    [];
  if (initializerBase !== undefined) {
    for (const [cls] of Object.values(classes)) {
      const prototype = cls.prototype;
      if (
        !Object.prototype.isPrototypeOf.call(initializerBase, prototype) ||
        !Object.hasOwn(prototype, 'apply')
      ) {
        continue;
      }
      patched.push([prototype, prototype.apply]);
      prototype.apply = (shape, dtype) => tf.zeros(shape, (dtype ?? 'float32') as 'float32');
    }
  }
  try {
    return await tf.models.modelFromJSON({
      modelTopology: modelTopology as Parameters<
        NonNullable<TfModule['models']>['modelFromJSON']
      >[0]['modelTopology'],
    });
  } finally {
    for (const [prototype, apply] of patched) prototype.apply = apply;
  }
}
