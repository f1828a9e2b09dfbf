import type { ByteSource, ByteSourceReadOptions } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';

/**
 * The checks every `ByteSource.read` starts with: a whole-number range inside the source, an
 * `into` of the right length, a signal not yet aborted. Throws `SOURCE_OUT_OF_RANGE`.
 */
export function checkReadRange(
  source: Pick<ByteSource, 'name' | 'size'>,
  offset: number,
  length: number,
  options: ByteSourceReadOptions | undefined,
): void {
  options?.signal?.throwIfAborted();
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > source.size
  ) {
    throw new ByteSourceError({
      code: 'SOURCE_OUT_OF_RANGE',
      message: `cannot read ${length} bytes at offset ${offset} of a ${source.size}-byte file`,
      file: source.name,
      ...(Number.isSafeInteger(offset) && offset >= 0 ? { byteOffset: offset } : {}),
    });
  }
  if (options?.into !== undefined && options.into.length !== length) {
    throw new ByteSourceError({
      code: 'SOURCE_OUT_OF_RANGE',
      message: `the target buffer holds ${options.into.length} bytes, the read asks for ${length}`,
      file: source.name,
      byteOffset: offset,
    });
  }
}
