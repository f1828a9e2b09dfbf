import { ReprokitError, type ReprokitErrorOptions } from '@reprokit/core';

/**
 * An error raised by `@reprokit/tfjs` on purpose: bad input to a checkpoint, artifact or IO
 * function. `code` is stable (`TFJS_*`); `file`, `tensor` and `byteOffset` are set where known.
 *
 * @example
 * try { await adapter.write(model, checkpoint, { cast: false }) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'TFJS_DUPLICATE_WEIGHT_NAME') { ... }
 * }
 */
export class TfjsError extends ReprokitError {
  static override readonly errorName: string = 'TfjsError';

  constructor(options: Omit<ReprokitErrorOptions, 'origin'> & { origin?: string }) {
    super({ ...options, origin: options.origin ?? 'tfjs' });
  }
}
