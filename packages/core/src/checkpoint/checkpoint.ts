import type { Dtype } from './dtype.js';

/** One named tensor: its element type, its shape and its elements as little-endian bytes. */
export interface CheckpointTensor {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Little-endian element bytes, row-major; length is `product(shape) * dtypeSize(dtype)`. */
  readonly data: Uint8Array;
}

/**
 * A model's weights, independent of any runtime: an ordered map of named tensors plus
 * string metadata. Insertion order is kept; writers may sort for determinism.
 * Maps (not objects) so that names like `__proto__` are ordinary keys.
 */
export interface Checkpoint {
  readonly tensors: Map<string, CheckpointTensor>;
  readonly metadata: Map<string, string>;
}

/** A tensor's type and shape, without its data. */
export interface TensorSpec {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
}

/** Make a checkpoint from entries (an iterable of `[name, tensor]` or a Map) and metadata. */
export function createCheckpoint(
  tensors: Iterable<readonly [string, CheckpointTensor]> = [],
  metadata: Iterable<readonly [string, string]> = [],
): Checkpoint {
  return { tensors: new Map(tensors), metadata: new Map(metadata) };
}

/** Number of elements of a shape (1 for a scalar, 0 if any dimension is 0). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) count *= dim;
  return count;
}
