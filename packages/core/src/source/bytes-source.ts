import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { checkReadRange } from './check-read-range.js';

/**
 * A `ByteSource` over bytes already in memory. Reads return views of `bytes` (no copy), or
 * copy into `into` when it is given.
 *
 * @example
 * const source = bytesSource(new Uint8Array(await response.arrayBuffer()), 'model.safetensors');
 */
export function bytesSource(bytes: Uint8Array, name = '<bytes>'): ByteSource {
  let closed = false;
  const source: ByteSource = {
    name,
    size: bytes.length,
    async read(offset, length, options) {
      if (closed) {
        throw new ByteSourceError({
          code: 'SOURCE_CLOSED',
          message: 'the source was closed',
          file: name,
        });
      }
      checkReadRange(source, offset, length, options);
      const view = bytes.subarray(offset, offset + length);
      if (options?.into === undefined) return view;
      options.into.set(view);
      return options.into;
    },
    async close() {
      closed = true;
    },
  };
  return source;
}
