import { type FileHandle, link, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ReprokitError } from '../errors/reprokit-error.js';
import { removeStaleTemporaryFiles } from './remove-stale-temporary-files.js';
import { temporaryFileName } from './temporary-file-name.js';

/** What `writeFileAtomic` writes: one buffer, or chunks produced one after another. */
export type AtomicWriteData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

// Writes go out in 512 KiB pieces, as fs.writeFile does: measured on Linux, one huge write()
// of a 1 GiB tensor was up to 3x slower (page-cache writeback stalls the single long call).
const MAX_WRITE = 512 << 10;

export interface WriteFileAtomicOptions {
  /**
   * Default `true`: replace `path` if it exists. `false`: never replace an existing file;
   * the write then fails with `IO_TARGET_EXISTS` and leaves `path` as it was (the new file
   * is put in place with `link()`, which refuses an existing name atomically).
   */
  overwrite?: boolean;
  /**
   * Called with the temporary file's path once it is complete and fsynced, just before it is
   * put in place. Lets a caller record the file's identity (its inode becomes the target's)
   * before the target exists, e.g. to find a killed save's files later.
   */
  beforeCommit?: (temporaryPath: string) => Promise<void> | void;
}

/**
 * Write a file so that readers see either the old content or the complete new content,
 * never a mix: data goes to a temporary file in the same folder
 * (`.<name>.<pid>.<host tag>.<random>.reprokit-tmp`, see `temporaryFileName`), is flushed
 * with fsync, then renamed over `path`, and the folder is fsynced so the rename survives a
 * power cut. If writing fails or `data` throws, the temporary file is removed and `path` is
 * untouched. A process killed mid-write leaves `path` untouched but leaves its temporary file
 * behind: every later call removes such files from the folder when the pid in their name is
 * no longer running on this host (`removeStaleTemporaryFiles`); a live writer's are kept.
 * File-system errors become a `ReprokitError` with code `IO_WRITE_FAILED` (`IO_TARGET_EXISTS`
 * with `overwrite: false`); errors thrown by `data` itself are rethrown unchanged.
 *
 * @example
 * await writeFileAtomic('model.safetensors', [headerBytes, tensorBytes]);
 */
export async function writeFileAtomic(
  path: string,
  data: AtomicWriteData,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const folder = dirname(path);
  await removeStaleTemporaryFiles(folder);
  const temporary = temporaryFileName(path);
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
    await options.beforeCommit?.(temporary);
    if (options.overwrite === false) await linkNew(temporary, path);
    else await rename(temporary, path);
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

/** Put the finished temporary file in place only if nothing is at `path` yet. */
async function linkNew(temporary: string, path: string): Promise<void> {
  try {
    await link(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw targetExists(path, error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV')
      throw error;
    // No hard links here (some FUSE and SMB mounts): check, then rename. Not atomic, but
    // the window is a stat() long.
    if (
      await stat(path).then(
        () => true,
        () => false,
      )
    )
      throw targetExists(path, error);
    await rename(temporary, path);
    return;
  }
  // The file is in place under both names; a leftover temporary name is swept later.
  await unlink(temporary).catch(() => undefined);
}

function targetExists(path: string, cause: unknown): ReprokitError {
  return new ReprokitError({
    code: 'IO_TARGET_EXISTS',
    origin: 'io',
    message: 'the file exists already and overwrite is false',
    file: path,
    cause,
  });
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
