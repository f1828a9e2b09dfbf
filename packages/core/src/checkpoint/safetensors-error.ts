import { ReprokitError } from '../errors/reprokit-error.js';

/**
 * Every code a `SafetensorsError` can carry. Codes are stable across releases; the table in
 * docs/checkpoints.md says what each one means and which byte offset it reports.
 */
export type SafetensorsErrorCode =
  | 'SAFETENSORS_FILE_TOO_SMALL'
  | 'SAFETENSORS_HEADER_TOO_LARGE'
  | 'SAFETENSORS_HEADER_TRUNCATED'
  | 'SAFETENSORS_HEADER_NOT_UTF8'
  | 'SAFETENSORS_HEADER_NOT_JSON'
  | 'SAFETENSORS_HEADER_NOT_OBJECT'
  | 'SAFETENSORS_DUPLICATE_TENSOR'
  | 'SAFETENSORS_DUPLICATE_KEY'
  | 'SAFETENSORS_INVALID_METADATA'
  | 'SAFETENSORS_INVALID_TENSOR_ENTRY'
  | 'SAFETENSORS_UNKNOWN_DTYPE'
  | 'SAFETENSORS_UNSUPPORTED_DTYPE'
  | 'SAFETENSORS_INVALID_SHAPE'
  | 'SAFETENSORS_SHAPE_OVERFLOW'
  | 'SAFETENSORS_INVALID_OFFSETS'
  | 'SAFETENSORS_OFFSETS_REVERSED'
  | 'SAFETENSORS_BYTE_LENGTH_MISMATCH'
  | 'SAFETENSORS_OFFSETS_NOT_FROM_ZERO'
  | 'SAFETENSORS_OFFSETS_GAP'
  | 'SAFETENSORS_OFFSETS_OVERLAP'
  | 'SAFETENSORS_DATA_TRUNCATED'
  | 'SAFETENSORS_TRAILING_BYTES'
  | 'SAFETENSORS_INVALID_TENSOR'
  | 'SAFETENSORS_INVALID_NAME'
  | 'SAFETENSORS_TENSOR_NOT_FOUND'
  | 'SAFETENSORS_FILE_CLOSED'
  | 'SAFETENSORS_INVALID_OPTION'
  | 'SAFETENSORS_INDEX_INVALID'
  | 'SAFETENSORS_INDEX_MISMATCH'
  | 'SAFETENSORS_IO';

export interface SafetensorsErrorOptions {
  code: SafetensorsErrorCode;
  message: string;
  file?: string;
  tensor?: string;
  byteOffset?: number;
  cause?: unknown;
}

/**
 * A safetensors file or checkpoint was rejected. `code` says why (see `SafetensorsErrorCode`),
 * `file`, `tensor` and `byteOffset` say where. Byte offsets are absolute positions in the file.
 *
 * @example
 * try { decodeSafetensors(bytes) } catch (error) {
 *   if (SafetensorsError.isInstance(error) && error.code === 'SAFETENSORS_DATA_TRUNCATED') retry();
 * }
 */
export class SafetensorsError extends ReprokitError {
  static override readonly errorName: string = 'SafetensorsError';

  declare readonly code: SafetensorsErrorCode;

  constructor(options: SafetensorsErrorOptions) {
    super({ ...options, origin: 'safetensors' });
  }
}
