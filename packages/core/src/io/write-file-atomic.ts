import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReprokitError } from '../errors/reprokit-error.js';

/** What `writeFileAtomic` writes: one buffer, or chunks produced one after another. */
export type AtomicWriteData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

// Writes go out in 512 KiB pieces, as fs.writeFile does: measured on Linux, one huge write()
// of a 1 GiB tensor was up to 3x slower (page-cache writeback stalls the single long call).
const MAX_WRITE = 512 << 10;

/**
 * Write a file so that readers see either the old content or the complete new content,
 * never a mix: data goes to a temporary file in the same folder
 * (`.<name>.<random>.reprokit-tmp`), is flushed with fsync, then renamed over `path`, and the
 * folder is fsynced so the rename survives a power cut. If writing fails or `data` throws,
 * the temporary file is removed and `path` is untouched. A process killed mid-write leaves
 * `path` untouched but can leave its temporary file behind.
 * File-system errors become a `ReprokitError` with code `IO_WRITE_FAILED`; errors thrown by
 * `data` itself are rethrown unchanged.
 *
 * @example
 * await writeFileAtomic('model.safetensors', [headerBytes, tensorBytes]);
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  const folder = dirname(path);
  const temporary = join(
    folder,
    `.${basename(path)}.${randomBytes(6).toString('hex')}.reprokit-tmp`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temporary, 'wx', 0o666);
    const iterator = chunksOf(data);
    let position = 0;
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await iterator.next();
        } catch (error) {
          throw new SourceError(error);
        }
        if (step.done === true) break;
        position += await writeAll(handle, step.value, position);
      }
    } catch (error) {
      if (!(error instanceof SourceError)) {
        // Let a generator run its cleanup; its own failure must not hide the first one.
        await Promise.resolve()
          .then(() => iterator.return?.())
          .catch(() => undefined);
      }
      throw error;
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    if (error instanceof SourceError) throw error.original;
    if (ReprokitError.isInstance(error)) throw error;
    throw new ReprokitError({
      code: 'IO_WRITE_FAILED',
      origin: 'io',
      message: `could not write the file: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
  await syncFolder(folder);
}

function chunksOf(data: AtomicWriteData): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  if (data instanceof Uint8Array) return [data][Symbol.iterator]();
  if (Symbol.asyncIterator in data) return data[Symbol.asyncIterator]();
  return data[Symbol.iterator]();
}

// Marks errors thrown by the caller's data so they are rethrown as they are, not wrapped.
class SourceError {
  constructor(readonly original: unknown) {}
}

async function writeAll(handle: FileHandle, chunk: Uint8Array, position: number): Promise<number> {
  let written = 0;
  while (written < chunk.length) {
    const length = Math.min(chunk.length - written, MAX_WRITE);
    const result = await handle.write(chunk, written, length, position + written);
    written += result.bytesWritten;
  }
  return written;
}

async function syncFolder(folder: string): Promise<void> {
  // Not every platform lets a folder be opened or fsynced (Windows); the rename already happened.
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
