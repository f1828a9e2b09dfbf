import type { ByteSource } from './byte-source.js';

/**
 * The same source behind a `close()` that does nothing: for handing a source to a reader that
 * closes what it is given (`openSafetensors`) while the caller keeps using it.
 */
export function borrowSource(source: ByteSource): ByteSource {
  return {
    name: source.name,
    size: source.size,
    read: (offset, length, options) => source.read(offset, length, options),
    close: async () => {},
  };
}
