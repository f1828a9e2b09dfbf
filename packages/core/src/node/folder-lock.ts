import { link, open, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStoreError } from '../store/checkpoint-store-error.js';
import { temporaryFileName } from './temporary-file-name.js';
import { isDeadWriter, isThisHost, writerTag } from './writer-tag.js';

/** The lock file a multi-file save holds in its folder while it runs. */
export const LOCK_FILE_NAME = '.reprokit-save.lock';

export interface FolderLockOptions {
  /**
   * How long to wait for a lock held by a writer on another host (whose liveness cannot be
   * checked), in milliseconds. Default 10 minutes. A writer on this host is waited for as long
   * as it lives; a dead one's lock is taken over.
   */
  foreignTimeout?: number;
}

/**
 * Take the save lock of `folder`: one multi-file save at a time per folder, so that two saves
 * never interleave their renames. The lock is a file created exclusively, holding the
 * writer's `writerTag`; a lock left by a killed writer on this host is removed and taken.
 * Resolves to the function that releases it.
 *
 * @example
 * const release = await lockFolder('out');
 * try { ... } finally { await release(); }
 */
export async function lockFolder(
  folder: string,
  options: FolderLockOptions = {},
): Promise<() => Promise<void>> {
  const path = join(folder, LOCK_FILE_NAME);
  const tag = writerTag();
  const foreignTimeout = options.foreignTimeout ?? 10 * 60_000;
  const started = Date.now();
  let delay = 5;
  for (;;) {
    try {
      await createLockFile(path, tag);
      return async () => {
        // Only our own lock: a release after a takeover must not free someone else's.
        if ((await readFile(path, 'utf8').catch(() => undefined)) === tag) {
          await unlink(path).catch(() => undefined);
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CheckpointStoreError({
          code: 'STORE_LOCKED',
          message: `cannot create the save lock: ${(error as Error).message}`,
          file: path,
          cause: error,
        });
      }
    }
    const holder = await readFile(path, 'utf8').catch(() => undefined);
    if (holder === undefined) continue; // released between our two calls
    if (isDeadWriter(holder)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (!isThisHost(holder) && Date.now() - started > foreignTimeout) {
      throw new CheckpointStoreError({
        code: 'STORE_LOCKED',
        message: `another save (writer ${holder}, on another host) has held the folder's save lock for over ${Math.round(foreignTimeout / 1000)} s; if no save is running, delete the lock file`,
        file: path,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 200);
  }
}

/**
 * Create the lock file with its content in one step: the tag goes into a temporary file that is
 * then hard-linked to the lock's name (which fails if the lock exists), so no one ever sees an
 * empty lock. File systems without hard links get an exclusive create and a write instead.
 */
async function createLockFile(path: string, tag: string): Promise<void> {
  const temporary = temporaryFileName(path);
  await writeFile(temporary, tag, { flag: 'wx' });
  try {
    await link(temporary, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS')) {
      throw error;
    }
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(tag);
    } finally {
      await handle.close();
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
