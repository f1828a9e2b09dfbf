import { ReprokitError } from '@reprokit/core';

/** Stable codes of {@link TfjsSeedError}. */
export type TfjsSeedErrorCode =
  /** `seed()` got something other than a non-zero uint32. */
  | 'TFJS_SEED_INVALID'
  /** `restore()` got a value that is not a snapshot taken by this control. */
  | 'TFJS_SEED_STATE_INVALID'
  /** `snapshot()` was called before `seed()` or `restore()`. */
  | 'TFJS_SEED_NOT_SEEDED'
  /** The tfjs module passed in lacks an internal object the control must patch. */
  | 'TFJS_SEED_UNSUPPORTED_MODULE'
  /** The determinism audit (mode `'error'`) found a source of randomness it cannot fix. */
  | 'TFJS_SEED_NONDETERMINISTIC';

/**
 * An error raised by the TensorFlow.js seed control. Switch on `code`; `finding` is set
 * when the determinism audit raised it.
 *
 * @example
 * try { model.fit(xs, ys) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'TFJS_SEED_NONDETERMINISTIC') console.log(e.message);
 * }
 */
export class TfjsSeedError extends ReprokitError {
  static override readonly errorName: string = 'TfjsSeedError';

  override readonly code: TfjsSeedErrorCode;

  constructor(options: {
    code: TfjsSeedErrorCode;
    message: string;
    tensor?: string;
    cause?: unknown;
  }) {
    super({ ...options, origin: 'tfjs-seed' });
    this.code = options.code;
  }
}
