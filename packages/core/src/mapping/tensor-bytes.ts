import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { elementCount } from '../checkpoint/checkpoint.js';
import { dtypeSize } from '../checkpoint/dtype.js';
import { formatShape } from '../checkpoint/write-report.js';
import { MappingError } from './mapping-error.js';

/**
 * Views of an element buffer as whole machine words. Moving elements word by word (rather
 * than byte by byte) is what makes the layout transforms fast, and copying integers (never
 * floats) keeps NaN payloads and signed zeros bit-exact.
 */
export interface WordView {
  readonly words: Uint8Array | Uint16Array | Uint32Array;
  /** Words per element. */
  readonly wordsPerElement: number;
}

export function wordView(bytes: Uint8Array, elementSize: number): WordView {
  // The word width depends only on the element size, so that a source and a target view of
  // the same dtype always agree; an unaligned buffer is copied once to make it aligned.
  const width = elementSize % 4 === 0 ? 4 : elementSize % 2 === 0 ? 2 : 1;
  // `new Uint8Array(bytes)` copies; `slice()` on a Node Buffer would return a view at the same offset.
  const aligned = bytes.byteOffset % width === 0 ? bytes : new Uint8Array(bytes);
  const wordsPerElement = elementSize / width;
  if (width === 4) {
    return {
      words: new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4),
      wordsPerElement,
    };
  }
  if (width === 2) {
    return {
      words: new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2),
      wordsPerElement,
    };
  }
  return { words: aligned, wordsPerElement };
}

/** Throws unless the tensor's byte length matches its dtype and shape. */
export function assertTensorBytes(tensor: CheckpointTensor, name?: string): void {
  const expected = elementCount(tensor.shape) * dtypeSize(tensor.dtype);
  if (tensor.data.byteLength !== expected) {
    throw new MappingError({
      code: 'MAPPING_BAD_TENSOR',
      message: `${tensor.dtype} ${formatShape(tensor.shape)} needs ${expected} bytes, got ${tensor.data.byteLength}`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
}

/** Row-major strides, in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis]!;
  }
  return strides;
}

/** Normalises a possibly negative axis; throws a `MappingError` when it is out of range. */
export function normaliseAxis(axis: number, rank: number, name?: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new MappingError({
      code: 'MAPPING_INVALID_AXIS',
      message: `axis ${axis} is out of range for a rank-${rank} tensor`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  return resolved;
}
