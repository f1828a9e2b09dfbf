import { type FileHandle, open } from 'node:fs/promises';
import type { ByteSource } from '../source/byte-source.js';
import { ByteSourceError } from '../source/byte-source-error.js';
import { checkReadRange } from '../source/check-read-range.js';

// Reads go in 512 KiB pieces, as fs.readFile does: measured here on a 1 GiB file, one huge
// read() and 8 MiB pieces were both slower and less steady (the OS also caps one read at 2 GiB).
const MAX_READ = 512 << 10;

/**
 * Open a local file as a `ByteSource`: one file handle, positioned reads, the size taken when
 * it opens. A file that shrinks afterwards gives `SOURCE_TRUNCATED` at the first read past
 * its new end. Close it when done.
 *
 * @example
 * const source = await fileSource('model.safetensors');
 * try {
 *   const prefix = await source.read(0, 8);
 * } finally {
 *   await source.close();
 * }
 */
export async function fileSource(path: string): Promise<ByteSource> {
  return (await openFile(path)).source;
}

/** Which file a path named when it was opened: compare with a later `stat` to see a replacement. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/** `fileSource`, plus the identity of the file it opened. */
export async function openFile(
  path: string,
): Promise<{ source: ByteSource; identity: FileIdentity }> {
  let handle: FileHandle | undefined;
  let size: number;
  let identity: FileIdentity;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    size = info.size;
    identity = { dev: info.dev, ino: info.ino };
  } catch (cause) {
    await handle?.close().catch(() => undefined);
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ByteSourceError({
      code: missing ? 'SOURCE_NOT_FOUND' : 'SOURCE_INVALID',
      message: `cannot open the file: ${(cause as Error).message}`,
      file: path,
      cause,
    });
  }
  let current: FileHandle | undefined = handle;
  const source: ByteSource = {
    name: path,
    size,
    async read(offset, length, options) {
      const opened = current;
      if (opened === undefined) {
        throw new ByteSourceError({
          code: 'SOURCE_CLOSED',
          message: 'the file was closed',
          file: path,
        });
      }
      checkReadRange(source, offset, length, options);
      const into = options?.into ?? new Uint8Array(length);
      let done = 0;
      while (done < length) {
        options?.signal?.throwIfAborted();
        let bytesRead: number;
        try {
          ({ bytesRead } = await opened.read(
            into,
            done,
            Math.min(length - done, MAX_READ),
            offset + done,
          ));
        } catch (cause) {
          throw new ByteSourceError({
            code: current === undefined ? 'SOURCE_CLOSED' : 'SOURCE_READ_FAILED',
            message: `read failed: ${(cause as Error).message}`,
            file: path,
            byteOffset: offset + done,
            cause,
          });
        }
        if (bytesRead === 0) {
          throw new ByteSourceError({
            code: 'SOURCE_TRUNCATED',
            message: `the file ended after ${offset + done} bytes, ${length - done} more were expected (was it changed while open?)`,
            file: path,
            byteOffset: offset + done,
          });
        }
        done += bytesRead;
      }
      return into;
    },
    async close() {
      const closing = current;
      current = undefined;
      await closing?.close();
    },
  };
  return { source, identity };
}
