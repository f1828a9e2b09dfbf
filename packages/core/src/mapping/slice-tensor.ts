import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { dtypeSize } from '../checkpoint/dtype.js';
import { formatShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes, normaliseAxis } from './tensor-bytes.js';

/**
 * Takes `[start, end)` along one axis, keeping the axis (like `x[:, start:end]`). The result
 * owns a copy of its bytes. Bounds outside the axis throw `MAPPING_SLICE_OUT_OF_RANGE`.
 *
 * @example
 * // the recurrent half of an ONNX LSTM bias [8h]
 * const recurrentBias = sliceTensor(bias, 0, 4 * hidden, 8 * hidden);
 */
export function sliceTensor(
  tensor: CheckpointTensor,
  axis: number,
  start: number,
  end: number,
  name?: string,
): CheckpointTensor {
  assertTensorBytes(tensor, name);
  const resolved = normaliseAxis(axis, tensor.shape.length, name);
  const length = tensor.shape[resolved]!;
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    start < 0 ||
    end > length ||
    start > end
  ) {
    throw new MappingError({
      code: 'MAPPING_SLICE_OUT_OF_RANGE',
      message: `cannot take [${start}, ${end}) of axis ${resolved} of ${formatShape(tensor.shape)}`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  const outer = elementCount(tensor.shape.slice(0, resolved));
  const innerBytes = elementCount(tensor.shape.slice(resolved + 1)) * dtypeSize(tensor.dtype);
  const shape = tensor.shape.map((dim, index) => (index === resolved ? end - start : dim));
  const out = new Uint8Array(outer * (end - start) * innerBytes);
  const blockBytes = (end - start) * innerBytes;
  for (let o = 0; o < outer; o++) {
    const from = (o * length + start) * innerBytes;
    out.set(tensor.data.subarray(from, from + blockBytes), o * blockBytes);
  }
  return { dtype: tensor.dtype, shape, data: out };
}

/**
 * Picks one index along an axis and drops that axis (like `x[index]` for axis 0).
 *
 * @example
 * // direction 1 (backward) of an ONNX LSTM weight [dirs, 4h, in] -> [4h, in]
 * const backward = selectIndex(weight, 0, 1);
 */
export function selectIndex(
  tensor: CheckpointTensor,
  axis: number,
  index: number,
  name?: string,
): CheckpointTensor {
  const resolved = normaliseAxis(axis, tensor.shape.length, name);
  const slice = sliceTensor(tensor, resolved, index, index + 1, name);
  return { ...slice, shape: slice.shape.filter((_, position) => position !== resolved) };
}

/**
 * Splits one axis into `parts` equal pieces. An axis that does not divide evenly throws
 * `MAPPING_SPLIT_UNEVEN`.
 *
 * @example
 * // ONNX LSTM bias [8h] -> input bias [4h], recurrent bias [4h]
 * const [inputBias, recurrentBias] = splitTensor(bias, 0, 2);
 */
export function splitTensor(
  tensor: CheckpointTensor,
  axis: number,
  parts: number,
  name?: string,
): CheckpointTensor[] {
  const resolved = normaliseAxis(axis, tensor.shape.length, name);
  const length = tensor.shape[resolved]!;
  if (!Number.isInteger(parts) || parts <= 0 || length % parts !== 0) {
    throw new MappingError({
      code: 'MAPPING_SPLIT_UNEVEN',
      message: `axis ${resolved} of ${formatShape(tensor.shape)} does not split into ${parts} equal parts`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  const size = length / parts;
  return Array.from({ length: parts }, (_, part) =>
    sliceTensor(tensor, resolved, part * size, (part + 1) * size, name),
  );
}
