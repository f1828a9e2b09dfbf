import { ReprokitError } from '../errors/reprokit-error.js';

/** Codes of `CheckpointError`: problems with in-memory tensors, whatever file they came from. */
export type CheckpointErrorCode = 'CHECKPOINT_INVALID_TENSOR' | 'CHECKPOINT_UNSUPPORTED_DTYPE';

/**
 * A tensor handed to a checkpoint helper (`fromTypedArray`, `toTypedArray`, `fingerprint`) is
 * not what it claims: wrong byte length for its shape, a bad shape, an unknown dtype.
 *
 * @example
 * fromTypedArray('F32', [2, 2], new Float32Array(3)); // throws CHECKPOINT_INVALID_TENSOR
 */
export class CheckpointError extends ReprokitError {
  static override readonly errorName: string = 'CheckpointError';

  declare readonly code: CheckpointErrorCode;

  constructor(options: {
    code: CheckpointErrorCode;
    message: string;
    tensor?: string;
    cause?: unknown;
  }) {
    super({ ...options, origin: 'checkpoint' });
  }
}
