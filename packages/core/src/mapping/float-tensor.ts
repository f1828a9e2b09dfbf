import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { MappingError } from './mapping-error.js';
import { assertTensorBytes } from './tensor-bytes.js';

/**
 * Float32/Float64 views for the few mapping steps that compute (adding biases, folding an
 * epsilon). Other dtypes are refused rather than silently rounded.
 */
export function floatElements(
  tensor: CheckpointTensor,
  name?: string,
): Float32Array | Float64Array {
  assertTensorBytes(tensor, name);
  const bytes = tensor.data;
  if (tensor.dtype === 'F32') {
    const copy = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
    return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
  }
  if (tensor.dtype === 'F64') {
    const copy = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
    return new Float64Array(copy.buffer, copy.byteOffset, copy.byteLength / 8);
  }
  throw new MappingError({
    code: 'MAPPING_DTYPE_UNSUPPORTED',
    message: `this step computes on F32 or F64 tensors, got ${tensor.dtype}`,
    ...(name === undefined ? {} : { tensor: name }),
  });
}

export function tensorFromFloats(
  dtype: 'F32' | 'F64',
  shape: readonly number[],
  values: ArrayLike<number>,
): CheckpointTensor {
  const array = dtype === 'F32' ? Float32Array.from(values) : Float64Array.from(values);
  return { dtype, shape: [...shape], data: new Uint8Array(array.buffer) };
}
