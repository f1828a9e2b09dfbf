import {
  type SafetensorsIOErrorCode,
  TfjsError,
  type TfjsErrorOptions,
} from '../checkpoint/tfjs-error.js';

/**
 * A safetensors file or model artifacts that the tfjs IO handler, the direct load or the direct
 * save cannot handle. Codes start with `TFJS_IO_`; `file` names the safetensors file.
 *
 * @example
 * await tf.loadLayersModel(safetensorsIO(weightsOnlyBytes)); // throws TFJS_IO_NO_TOPOLOGY
 */
export class SafetensorsIOError extends TfjsError {
  static override readonly errorName: string = 'SafetensorsIOError';
  declare readonly code: SafetensorsIOErrorCode;

  constructor(options: TfjsErrorOptions<SafetensorsIOErrorCode>) {
    super(options, 'tfjs-io');
  }
}
