import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { dtypeSize } from '../checkpoint/dtype.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes, stridesOf, wordView } from './tensor-bytes.js';

/**
 * Permutes a tensor's axes, like `numpy.transpose(x, perm)`: output axis `i` is input axis
 * `perm[i]`. Works on the raw little-endian bytes, so any dtype (F32, BF16, I64, F8, ...)
 * is moved bit-exactly; zero-size dimensions and scalars are fine. A `perm` that is not a
 * permutation of `0..rank-1` throws `MAPPING_INVALID_PERMUTATION`.
 *
 * @example
 * // ONNX Conv weight OIHW -> Keras HWIO
 * const kernel = transposeTensor(onnxWeight, [2, 3, 1, 0]);
 */
export function transposeTensor(
  tensor: CheckpointTensor,
  perm: readonly number[],
  name?: string,
): CheckpointTensor {
  assertTensorBytes(tensor, name);
  const rank = tensor.shape.length;
  assertPermutation(perm, rank, name);
  const outShape = perm.map((axis) => tensor.shape[axis]!);
  if (perm.every((axis, index) => axis === index) || rank <= 1) {
    return { dtype: tensor.dtype, shape: outShape, data: new Uint8Array(tensor.data) };
  }
  const total = elementCount(outShape);
  const elementSize = dtypeSize(tensor.dtype);
  const out = new Uint8Array(total * elementSize);
  if (total === 0) return { dtype: tensor.dtype, shape: outShape, data: out };

  const source = wordView(tensor.data, elementSize);
  const target = wordView(out, elementSize);
  const k = source.wordsPerElement;
  const from = source.words;
  const to = target.words;
  const inStrides = stridesOf(tensor.shape);
  // Input step (in words) when output coordinate `i` advances by one.
  const steps = perm.map((axis) => inStrides[axis]! * k);
  const innerLength = outShape[rank - 1]!;
  const innerStep = steps[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let base = 0;
  let write = 0;
  const end = total * k;
  while (write < end) {
    let read = base;
    if (k === 1) {
      for (let j = 0; j < innerLength; j++) {
        to[write++] = from[read]!;
        read += innerStep;
      }
    } else {
      for (let j = 0; j < innerLength; j++) {
        for (let w = 0; w < k; w++) to[write++] = from[read + w]!;
        read += innerStep;
      }
    }
    // Odometer over the outer output axes.
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]!++;
      base += steps[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      base -= steps[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
  return { dtype: tensor.dtype, shape: outShape, data: out };
}

function assertPermutation(perm: readonly number[], rank: number, name?: string): void {
  const seen = new Set<number>();
  const valid =
    perm.length === rank &&
    perm.every((axis) => {
      if (!Number.isInteger(axis) || axis < 0 || axis >= rank || seen.has(axis)) return false;
      seen.add(axis);
      return true;
    });
  if (!valid) {
    throw new MappingError({
      code: 'MAPPING_INVALID_PERMUTATION',
      message: `[${perm.join(',')}] is not a permutation of the axes of a rank-${rank} tensor`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
}
