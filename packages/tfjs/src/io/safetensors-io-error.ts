import type { ReprokitErrorOptions } from '@reprokit/core';
import { TfjsError } from '../checkpoint/tfjs-error.js';

/**
 * A safetensors file or model artifacts that the tfjs IO handler cannot save or load.
 * Codes start with `TFJS_IO_`; `file` names the safetensors file.
 *
 * @example
 * await tf.loadLayersModel(safetensorsIO('weights-only.safetensors')); // throws TFJS_IO_NO_TOPOLOGY
 */
export class SafetensorsIOError extends TfjsError {
  static override readonly errorName: string = 'SafetensorsIOError';

  constructor(options: Omit<ReprokitErrorOptions, 'origin'>) {
    super({ ...options, origin: 'tfjs-io' });
  }
}
