import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { formatShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes } from './tensor-bytes.js';

/**
 * Gives a tensor a new shape with the same elements in the same row-major order (the bytes
 * are shared, not copied). The element counts must agree, else `MAPPING_RESHAPE_MISMATCH`.
 *
 * @example
 * // ONNX depthwise Conv weight [C*m,1,kh,kw] -> [C,m,kh,kw]
 * const split = reshapeTensor(weight, [channels, multiplier, 3, 3]);
 */
export function reshapeTensor(
  tensor: CheckpointTensor,
  shape: readonly number[],
  name?: string,
): CheckpointTensor {
  assertTensorBytes(tensor, name);
  if (
    !shape.every((dim) => Number.isInteger(dim) && dim >= 0) ||
    elementCount(shape) !== elementCount(tensor.shape)
  ) {
    throw new MappingError({
      code: 'MAPPING_RESHAPE_MISMATCH',
      message: `cannot reshape ${formatShape(tensor.shape)} to ${formatShape(shape)}`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  return { dtype: tensor.dtype, shape: [...shape], data: tensor.data };
}
