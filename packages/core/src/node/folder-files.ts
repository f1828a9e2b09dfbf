import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { ByteSource } from '../source/byte-source.js';
import { ByteSourceError } from '../source/byte-source-error.js';
import type { CheckpointFiles } from '../store/checkpoint-files.js';
import { CheckpointStoreError } from '../store/checkpoint-store-error.js';
import { relativeFileName } from '../store/relative-file-name.js';
import { type FileIdentity, openFile } from './file-source.js';

/** `CheckpointFiles` in a folder on disk, with what a reader needs to notice a save beside it. */
export interface FolderFiles extends CheckpointFiles {
  /** Whether the entry's path now names another file than the one opened (a save replaced it). */
  entryReplaced(): Promise<boolean>;
  /** Close the entry. */
  close(): Promise<void>;
}

/**
 * Open a checkpoint's entry file on disk; the files it names are opened from its folder. Names
 * that leave the folder, and names inside it that a symbolic link leads out of, are refused
 * (`STORE_INVALID_NAME`); missing files are `STORE_FILE_NOT_FOUND`.
 *
 * @example
 * const files = await folderFiles('out/model.safetensors.index.json');
 * try {
 *   const checkpoint = await shardedSafetensorsStore().read(files);
 * } finally {
 *   await files.close();
 * }
 */
export async function folderFiles(entryPath: string): Promise<FolderFiles> {
  const { source: entry, identity } = await openFile(entryPath);
  const folder = dirname(entryPath);
  return {
    entry,
    async open(name: string): Promise<ByteSource> {
      const relative = relativeFileName(name, entryPath);
      const path = join(folder, ...relative.split('/'));
      await refuseLinkOutOfFolder(folder, path, relative, entryPath);
      try {
        return (await openFile(path)).source;
      } catch (error) {
        if (ByteSourceError.isInstance(error) && error.code === 'SOURCE_NOT_FOUND') {
          throw new CheckpointStoreError({
            code: 'STORE_FILE_NOT_FOUND',
            message: `${basename(entryPath)} names ${JSON.stringify(relative)}, which is not in its folder`,
            file: path,
            cause: error,
          });
        }
        throw error;
      }
    },
    entryReplaced: async () => !sameFile(identity, await stat(entryPath).catch(() => undefined)),
    close: () => entry.close(),
  };
}

function sameFile(opened: FileIdentity, now: FileIdentity | undefined): boolean {
  return now !== undefined && now.dev === opened.dev && now.ino === opened.ino;
}

/**
 * The name stays inside the folder as text; a symbolic link inside the folder could still lead
 * out of it (a checkpoint from elsewhere must not make a reader open `/etc/passwd`).
 */
async function refuseLinkOutOfFolder(
  folder: string,
  path: string,
  relative: string,
  entryPath: string,
): Promise<void> {
  let real: string;
  let realFolder: string;
  try {
    [real, realFolder] = await Promise.all([realpath(path), realpath(folder)]);
  } catch {
    return; // missing: openFile says so
  }
  if (!real.startsWith(realFolder + sep)) {
    throw new CheckpointStoreError({
      code: 'STORE_INVALID_NAME',
      message: `${basename(entryPath)} names ${JSON.stringify(relative)}, a symbolic link that leads out of its folder; only files inside that folder are read`,
      file: path,
    });
  }
}
