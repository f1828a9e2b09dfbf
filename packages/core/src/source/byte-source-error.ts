import { ReprokitError } from '../errors/reprokit-error.js';

/**
 * Codes of `ByteSourceError`.
 *
 * - `SOURCE_OUT_OF_RANGE`: a read outside `[0, size)`, or with a negative or fractional bound.
 * - `SOURCE_TRUNCATED`: the file ended before the size it had when it was opened.
 * - `SOURCE_CHANGED`: the file was replaced after it was opened (another ETag, another inode).
 * - `SOURCE_CLOSED`: a read after `close()`.
 * - `SOURCE_READ_FAILED`: the file system or the network failed.
 * - `SOURCE_NOT_FOUND`: there is no such file (or URL).
 * - `SOURCE_INVALID`: a source that cannot be opened as given (a folder, a bad option).
 */
export type ByteSourceErrorCode =
  | 'SOURCE_OUT_OF_RANGE'
  | 'SOURCE_TRUNCATED'
  | 'SOURCE_CHANGED'
  | 'SOURCE_CLOSED'
  | 'SOURCE_READ_FAILED'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_INVALID';

export interface ByteSourceErrorOptions {
  code: ByteSourceErrorCode;
  message: string;
  /** The source's `name`. */
  file: string;
  byteOffset?: number;
  cause?: unknown;
}

/**
 * A `ByteSource` could not deliver the bytes asked for. `file` is the source's name and
 * `byteOffset` where the read failed.
 *
 * @example
 * try { await source.read(0, 8) } catch (error) {
 *   if (ByteSourceError.isInstance(error) && error.code === 'SOURCE_CHANGED') reopen();
 * }
 */
export class ByteSourceError extends ReprokitError {
  static override readonly errorName: string = 'ByteSourceError';
  declare readonly code: ByteSourceErrorCode;

  constructor(options: ByteSourceErrorOptions) {
    super({ ...options, origin: 'source' });
  }
}
