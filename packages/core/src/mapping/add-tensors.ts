import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { formatShape, sameShape } from '../checkpoint/write-report.js';
import { floatElements, tensorFromFloats } from './float-tensor.js';
import { MappingError } from './mapping-error.js';

/**
 * Element-wise sum of two F32 (or two F64) tensors of the same shape, computed in the
 * tensors' own precision, as a runtime adding both biases would. Used to merge the two
 * biases ONNX keeps for recurrent layers (`Wb + Rb`) into the single bias Keras keeps.
 *
 * @example
 * const kerasBias = addTensors(inputBias, recurrentBias);
 */
export function addTensors(
  a: CheckpointTensor,
  b: CheckpointTensor,
  name?: string,
): CheckpointTensor {
  if (a.dtype !== b.dtype || !sameShape(a.shape, b.shape)) {
    throw new MappingError({
      code: 'MAPPING_SHAPE_MISMATCH',
      message: `cannot add ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  const left = floatElements(a, name);
  const right = floatElements(b, name);
  // Float32Array stores each sum rounded to float32, the same rounding a float32 runtime applies.
  const sum =
    left instanceof Float32Array ? new Float32Array(left.length) : new Float64Array(left.length);
  for (let index = 0; index < left.length; index++) sum[index] = left[index]! + right[index]!;
  return tensorFromFloats(a.dtype as 'F32' | 'F64', a.shape, sum);
}
