import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
 * that leave the folder are refused (`STORE_INVALID_NAME`), missing files are
 * `STORE_FILE_NOT_FOUND`.
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
