import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { checkReadRange } from './check-read-range.js';

/**
 * A `ByteSource` over a `Blob` or a `File` (a drag-and-drop, an `<input type="file">`, a lazily
 * read file in Node from `fs.openAsBlob`). Each read slices the blob, so only the bytes asked
 * for are loaded. A `File` is named by its `name`.
 *
 * @example
 * dropZone.ondrop = async (event) => {
 *   const file = event.dataTransfer.files[0];
 *   const safetensors = await openSafetensors(blobSource(file));
 * };
 */
export function blobSource(blob: Blob, name?: string): ByteSource {
  const label = name ?? (typeof (blob as File).name === 'string' ? (blob as File).name : '<blob>');
  let closed = false;
  const source: ByteSource = {
    name: label,
    size: blob.size,
    async read(offset, length, options) {
      if (closed) {
        throw new ByteSourceError({
          code: 'SOURCE_CLOSED',
          message: 'the source was closed',
          file: label,
        });
      }
      checkReadRange(source, offset, length, options);
      let buffer: ArrayBuffer;
      try {
        buffer = await blob.slice(offset, offset + length).arrayBuffer();
      } catch (cause) {
        // A File whose disk file changed since it was picked fails to read (NotReadableError).
        throw new ByteSourceError({
          code: 'SOURCE_READ_FAILED',
          message: `reading the blob failed: ${(cause as Error).message}`,
          file: label,
          byteOffset: offset,
          cause,
        });
      }
      if (buffer.byteLength !== length) {
        throw new ByteSourceError({
          code: 'SOURCE_TRUNCATED',
          message: `the blob gave ${buffer.byteLength} bytes where ${length} were asked for`,
          file: label,
          byteOffset: offset,
        });
      }
      const bytes = new Uint8Array(buffer);
      if (options?.into === undefined) return bytes;
      options.into.set(bytes);
      return options.into;
    },
    async close() {
      closed = true;
    },
  };
  return source;
}
