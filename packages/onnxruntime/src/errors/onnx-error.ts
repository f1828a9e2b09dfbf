import { ReprokitError } from '@reprokit/core';

/**
 * Stable codes of errors raised by `@reprokit/onnxruntime`. Switch on these, not on messages.
 */
export type OnnxErrorCode =
  | 'ONNX_READ_FAILED'
  | 'ONNX_DECODE_FAILED'
  | 'ONNX_NOT_A_MODEL'
  | 'ONNX_UNSUPPORTED_DTYPE'
  | 'ONNX_TENSOR_SIZE_MISMATCH'
  | 'ONNX_TENSOR_NO_DATA'
  | 'ONNX_DUPLICATE_INITIALIZER'
  | 'ONNX_EXTERNAL_DATA_PATH'
  | 'ONNX_EXTERNAL_DATA_INVALID'
  | 'ONNX_EXTERNAL_DATA_RANGE'
  | 'ONNX_EXTERNAL_DATA_MISSING'
  | 'ONNX_EXTERNAL_DATA_STALE'
  | 'ONNX_MODEL_TOO_LARGE'
  | 'ONNX_PATCH_MISMATCH'
  | 'ONNX_SEED_INVALID'
  | 'ONNX_SEED_STATE_INVALID';

export interface OnnxErrorOptions {
  code: OnnxErrorCode;
  message: string;
  file?: string;
  tensor?: string;
  byteOffset?: number;
  cause?: unknown;
}

/**
 * An ONNX model, initializer, external data file or seed state that `@reprokit/onnxruntime`
 * cannot use. `tensor` names the initializer (with its subgraph path) when one is at fault,
 * `file` the model or external data file, `byteOffset` the position in it when known.
 *
 * @example
 * try { await readOnnxCheckpoint('model.onnx') } catch (e) {
 *   if (ReprokitError.isInstance(e) && e.code === 'ONNX_EXTERNAL_DATA_PATH') console.error(e.tensor);
 * }
 */
export class OnnxError extends ReprokitError {
  static override readonly errorName: string = 'OnnxError';

  declare readonly code: OnnxErrorCode;

  constructor(options: OnnxErrorOptions) {
    super({ ...options, origin: 'onnxruntime' });
  }
}
