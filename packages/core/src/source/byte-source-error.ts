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
 * - `SOURCE_HTTP_STATUS`: an HTTP server answered with an error status that is not retried
 *   (401, 403, 404, other 4xx); `status` holds it.
 * - `SOURCE_LENGTH_MISMATCH`: an HTTP answer whose Content-Length, Content-Range or body length
 *   is not the range that was asked for.
 * - `SOURCE_RANGE_UNSUPPORTED`: an HTTP server that does not serve byte ranges, for a file too
 *   large to read whole, or one that does not tell the file's size.
 */
export type ByteSourceErrorCode =
  | 'SOURCE_OUT_OF_RANGE'
  | 'SOURCE_TRUNCATED'
  | 'SOURCE_CHANGED'
  | 'SOURCE_CLOSED'
  | 'SOURCE_READ_FAILED'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_INVALID'
  | 'SOURCE_HTTP_STATUS'
  | 'SOURCE_LENGTH_MISMATCH'
  | 'SOURCE_RANGE_UNSUPPORTED';

export interface ByteSourceErrorOptions {
  code: ByteSourceErrorCode;
  message: string;
  /** The source's `name`. */
  file: string;
  byteOffset?: number;
  /** The HTTP status, for errors caused by an HTTP answer. */
  status?: number;
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
  /** The HTTP status, for errors caused by an HTTP answer. */
  readonly status: number | undefined;

  constructor(options: ByteSourceErrorOptions) {
    super({ ...options, origin: 'source' });
    this.status = options.status;
  }
}
