import {
  type Checkpoint,
  type CheckpointAdapter,
  CheckpointMismatchError,
  type CheckpointTensor,
  type CheckpointWriteOptions,
  createCheckpoint,
  type Dtype,
  dtypeSize,
  elementCount,
  isCompleteWrite,
  type MappingStep,
  planCheckpointWrite,
  type TensorSpec,
  toTypedArray,
  type WriteReport,
} from '@reprokit/core';
import type { LayersModel, Variable } from '@tensorflow/tfjs';
import type { TfjsModule } from '../tfjs-module.js';
import { type CheckpointWeight, checkpointWeights } from './checkpoint-weight-names.js';
import { bytesCopy, checkpointDtype, tfjsDtype, typedArrayCopy } from './tfjs-dtype.js';
import { TfjsError } from './tfjs-error.js';

export interface TfjsWriteOptions extends CheckpointWriteOptions {
  /**
   * Convert F16, BF16 and F64 checkpoint tensors for float32 variables (F16/BF16 exactly,
   * F64 rounded to nearest). Default `false`: such tensors are reported as dtype mismatches,
   * because a silent F64 -> F32 rounding would break bitwise reproducibility.
   */
  cast?: boolean;
}

/** The `CheckpointAdapter` for TensorFlow.js layers models, with the `cast` write option. */
export interface TfjsCheckpointAdapter extends CheckpointAdapter<LayersModel> {
  write(
    model: LayersModel,
    checkpoint: Checkpoint,
    options?: TfjsWriteOptions,
  ): Promise<WriteReport>;
  /** The tensors `write` expects for `model`, by structural name. */
  expectedTensors(model: LayersModel): Map<string, TensorSpec>;
}

/**
 * A `CheckpointAdapter` for `tf.LayersModel` (Sequential, functional, nested). `read` gives every
 * weight (non-trainable ones such as BatchNorm moving statistics included) under its structural
 * name (`checkpointWeightNames`); `write` is strict by default: any missing, unexpected or
 * mismatched tensor throws one `CheckpointMismatchError` listing all of them and the model is
 * left unchanged. With `{ strict: false }` it loads what matches and returns the report.
 * Weights are assigned as they are: tfjs layer constraints are not re-applied on load.
 *
 * Pass the tfjs module your models use: the tensors `write` assigns are made with it.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * const adapter = tfjsCheckpoint(tf);
 * const checkpoint = await adapter.read(model);
 * await adapter.write(otherModel, checkpoint); // throws CheckpointMismatchError if it does not fit
 */
export function tfjsCheckpoint(tf: TfjsModule): TfjsCheckpointAdapter {
  return {
    name: 'tfjs',
    expectedTensors(model) {
      return expectedSpecs(checkpointWeights(model));
    },
    async read(model) {
      const tensors: Array<[string, CheckpointTensor]> = [];
      for (const weight of checkpointWeights(model)) {
        tensors.push([weight.name, await readWeight(weight)]);
      }
      return createCheckpoint(tensors);
    },
    async write(model, checkpoint, writeOptions = {}) {
      const weights = checkpointWeights(model);
      const expected = expectedSpecs(weights);
      let source = checkpoint;
      const steps: MappingStep[] = [];
      if (writeOptions.mapping !== undefined) {
        const mapped = writeOptions.mapping.map(checkpoint, expected);
        source = mapped.checkpoint;
        steps.push(...mapped.steps);
      }
      if (writeOptions.cast === true) source = castToFloat32(source, expected, steps);
      const report = planCheckpointWrite(expected, source, steps);
      const strict = writeOptions.strict ?? true;
      if (strict && !isCompleteWrite(report)) {
        throw new CheckpointMismatchError('tfjs', report, `model "${model.name}"`);
      }
      const byName = new Map(weights.map((weight) => [weight.name, weight]));
      // Validate every byte length and build every tensor before assigning any variable,
      // so a bad tensor leaves the model as it was.
      const pending: Array<{ weight: CheckpointWeight; value: ReturnType<TfjsModule['tensor']> }> =
        [];
      try {
        for (const name of report.loaded) {
          const tensor = source.tensors.get(name)!;
          checkByteLength(name, tensor);
          const weight = byName.get(name)!;
          const dtype = tfjsDtype(tensor.dtype)!;
          pending.push({
            weight,
            value: tf.tensor(typedArrayCopy(dtype, tensor.data), [...tensor.shape], dtype),
          });
        }
      } catch (error) {
        for (const entry of pending) entry.value.dispose();
        throw error;
      }
      for (const { weight, value } of pending) {
        // Assign to the underlying tf.Variable: LayerVariable.write would re-apply constraints.
        (weight.variable.read() as Variable).assign(value);
        value.dispose();
      }
      return report;
    },
  };
}

function expectedSpecs(weights: readonly CheckpointWeight[]): Map<string, TensorSpec> {
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

async function readWeight(weight: CheckpointWeight): Promise<CheckpointTensor> {
  const value = weight.variable.read();
  const dtype = checkpointDtype(value.dtype, weight.name);
  // Backends may hand out their own storage: copy it.
  const data = bytesCopy((await value.data()) as ArrayBufferView);
  return { dtype, shape: [...value.shape], data };
}

function checkByteLength(name: string, tensor: CheckpointTensor): void {
  const expected = elementCount(tensor.shape) * dtypeSize(tensor.dtype);
  if (tensor.data.byteLength !== expected) {
    throw new TfjsError({
      code: 'TFJS_TENSOR_BYTE_LENGTH',
      message: `${tensor.dtype} [${tensor.shape.join(',')}] needs ${expected} bytes, the checkpoint has ${tensor.data.byteLength}`,
      tensor: name,
    });
  }
}

/** Dtypes `cast: true` converts to F32: F16 and BF16 exactly, F64 rounded to nearest. */
const castable = new Set<Dtype>(['F16', 'BF16', 'F64']);

function castToFloat32(
  checkpoint: Checkpoint,
  expected: ReadonlyMap<string, TensorSpec>,
  steps: MappingStep[],
): Checkpoint {
  const tensors = new Map(checkpoint.tensors);
  for (const [name, tensor] of checkpoint.tensors) {
    if (!castable.has(tensor.dtype) || expected.get(name)?.dtype !== 'F32') continue;
    checkByteLength(name, tensor);
    // Core decodes F16/BF16 to float32 exactly; Float32Array.from rounds F64 to nearest.
    const decoded = toTypedArray(tensor);
    const values =
      decoded instanceof Float32Array ? decoded : Float32Array.from(decoded as Float64Array);
    tensors.set(name, { dtype: 'F32', shape: tensor.shape, data: new Uint8Array(values.buffer) });
    steps.push({ from: [name], to: name, transform: `cast ${tensor.dtype}->F32` });
  }
  return createCheckpoint(tensors, checkpoint.metadata);
}
