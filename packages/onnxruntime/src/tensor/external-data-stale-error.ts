import { OnnxError } from '../errors/onnx-error.js';

/**
 * `ONNX_EXTERNAL_DATA_STALE`: an initializer's external data points into a safetensors file
 * whose header does not hold that tensor at that place (another save replaced the file, and
 * the `.reprokit-old` original a crash-safe save keeps is not there or does not match either).
 * Reading on would give the wrong weights silently. `tensor` names the initializer, `file` the
 * data file, `byteOffset` the offset the model expects.
 *
 * @example
 * await readOnnxCheckpoint('model.onnx').catch((e) => e.code); // 'ONNX_EXTERNAL_DATA_STALE'
 */
export class ExternalDataStaleError extends OnnxError {
  static override readonly errorName: string = 'ExternalDataStaleError';

  declare readonly code: 'ONNX_EXTERNAL_DATA_STALE';

  constructor(options: { message: string; file: string; tensor: string; byteOffset: number }) {
    super({ ...options, code: 'ONNX_EXTERNAL_DATA_STALE' });
  }
}
