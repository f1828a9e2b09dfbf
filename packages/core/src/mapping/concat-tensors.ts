import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { dtypeSize } from '../checkpoint/dtype.js';
import { formatShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes, normaliseAxis } from './tensor-bytes.js';

/**
 * Joins tensors along an existing axis (like `numpy.concatenate`). All must share dtype and
 * every other dimension, else `MAPPING_SHAPE_MISMATCH`. Bytes are copied as they are.
 *
 * @example
 * // Keras LSTM bias [4h] + zeros [4h] -> ONNX B row [8h]
 * const row = concatTensors([bias, zeros], 0);
 */
export function concatTensors(
  tensors: readonly CheckpointTensor[],
  axis: number,
  name?: string,
): CheckpointTensor {
  const first = tensors[0];
  if (first === undefined) {
    throw new MappingError({
      code: 'MAPPING_SHAPE_MISMATCH',
      message: 'nothing to concatenate',
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  const rank = first.shape.length;
  const resolved = normaliseAxis(axis, rank, name);
  for (const tensor of tensors) {
    assertTensorBytes(tensor, name);
    const fits =
      tensor.dtype === first.dtype &&
      tensor.shape.length === rank &&
      tensor.shape.every((dim, index) => index === resolved || dim === first.shape[index]);
    if (!fits) {
      throw new MappingError({
        code: 'MAPPING_SHAPE_MISMATCH',
        message: `cannot concatenate ${tensor.dtype} ${formatShape(tensor.shape)} with ${first.dtype} ${formatShape(first.shape)} on axis ${resolved}`,
        ...(name === undefined ? {} : { tensor: name }),
      });
    }
  }
  const outer = elementCount(first.shape.slice(0, resolved));
  const innerBytes = elementCount(first.shape.slice(resolved + 1)) * dtypeSize(first.dtype);
  const length = tensors.reduce((sum, tensor) => sum + tensor.shape[resolved]!, 0);
  const out = new Uint8Array(outer * length * innerBytes);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const tensor of tensors) {
      const block = tensor.shape[resolved]! * innerBytes;
      out.set(tensor.data.subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  const shape = first.shape.map((dim, index) => (index === resolved ? length : dim));
  return { dtype: first.dtype, shape, data: out };
}

/**
 * Stacks same-shaped tensors along a new leading axis (like `numpy.stack(x, 0)`).
 *
 * @example
 * // forward and backward LSTM weights [4h, in] -> ONNX W [2, 4h, in]
 * const weight = stackTensors([forward, backward]);
 */
export function stackTensors(
  tensors: readonly CheckpointTensor[],
  name?: string,
): CheckpointTensor {
  return concatTensors(
    tensors.map((tensor) => ({ ...tensor, shape: [1, ...tensor.shape] })),
    0,
    name,
  );
}
