import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import type { Dtype } from '../checkpoint/dtype.js';

export function f32(shape: readonly number[], values: readonly number[]): CheckpointTensor {
  return { dtype: 'F32', shape, data: new Uint8Array(Float32Array.from(values).buffer) };
}

export function valuesOf(tensor: CheckpointTensor): number[] {
  const copy = tensor.data.slice();
  return Array.from(new Float32Array(copy.buffer, 0, copy.byteLength / 4));
}

/** A tensor whose element `i` holds distinct bytes `(i * size + b) & 255`, for any element size. */
export function patterned(dtype: Dtype, shape: readonly number[], size: number): CheckpointTensor {
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(count * size);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 255;
  return { dtype, shape, data };
}

/** Reference transpose by explicit index arithmetic, one byte at a time. */
export function naiveTranspose(
  tensor: CheckpointTensor,
  perm: readonly number[],
  size: number,
): Uint8Array {
  const shape = tensor.shape;
  const outShape = perm.map((axis) => shape[axis]!);
  const count = outShape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(count * size);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    const outIndex = new Array<number>(outShape.length);
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      outIndex[axis] = rest % outShape[axis]!;
      rest = Math.floor(rest / outShape[axis]!);
    }
    const inIndex = new Array<number>(shape.length);
    perm.forEach((axis, position) => {
      inIndex[axis] = outIndex[position]!;
    });
    let source = 0;
    for (let axis = 0; axis < shape.length; axis++) source = source * shape[axis]! + inIndex[axis]!;
    for (let b = 0; b < size; b++) out[flat * size + b] = tensor.data[source * size + b]!;
  }
  return out;
}
