import { ReprokitError } from '../errors/reprokit-error.js';

/**
 * A weight mapping could not produce what the target model needs: a bad permutation, a shape
 * that cannot be split into gates, a source tensor that is missing, an epsilon that differs.
 * `code` starts with `MAPPING_`; `tensor` names the tensor concerned where one is known.
 *
 * @example
 * try { transposeTensor(tensor, [0, 0]) } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'MAPPING_INVALID_PERMUTATION') { ... }
 * }
 */
export class MappingError extends ReprokitError {
  static override readonly errorName: string = 'MappingError';

  constructor(options: { code: string; message: string; tensor?: string; origin?: string }) {
    super({
      code: options.code,
      origin: options.origin ?? 'mapping',
      message: options.message,
      ...(options.tensor === undefined ? {} : { tensor: options.tensor }),
    });
  }
}
