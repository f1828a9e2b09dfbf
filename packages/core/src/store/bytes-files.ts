import { blobSource } from '../source/blob-source.js';
import type { ByteSource } from '../source/byte-source.js';
import { bytesSource } from '../source/bytes-source.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';
import { relativeFileName } from './relative-file-name.js';

type Named<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

function lookup<T>(files: Named<T>, name: string): T | undefined {
  if (files instanceof Map) return files.get(name);
  return Object.hasOwn(files, name) ? (files as Record<string, T>)[name] : undefined;
}

function inMemoryFiles<T>(
  files: Named<T>,
  entryName: string,
  toSource: (file: T, name: string) => ByteSource,
): CheckpointFiles {
  const entry = lookup(files, entryName);
  if (entry === undefined) {
    throw new CheckpointStoreError({
      code: 'STORE_FILE_NOT_FOUND',
      message: 'the entry file is not among the files given',
      file: entryName,
    });
  }
  return {
    entry: toSource(entry, entryName),
    async open(name) {
      const relative = relativeFileName(name, entryName);
      const file = lookup(files, relative);
      if (file === undefined) {
        throw new CheckpointStoreError({
          code: 'STORE_FILE_NOT_FOUND',
          message: `${entryName} names ${JSON.stringify(relative)}, which is not among the files given`,
          file: relative,
        });
      }
      return toSource(file, relative);
    },
  };
}

/**
 * `CheckpointFiles` over bytes in memory, by file name: the entry and the files it names.
 *
 * @example
 * const files = bytesFiles({ 'model.json': json, 'group1-shard1of1.bin': shard }, 'model.json');
 * const checkpoint = await readCheckpoint(files, { stores: [tfjsArtifactsStore()] });
 */
export function bytesFiles(files: Named<Uint8Array>, entryName: string): CheckpointFiles {
  return inMemoryFiles(files, entryName, (bytes, name) => bytesSource(bytes, name));
}

/**
 * `CheckpointFiles` over `File`s (a drop, an `<input type="file" multiple>`), matched by their
 * `name`: the entry is the file named `entryName`, the others are what it names.
 *
 * @example
 * const files = blobFiles([...event.dataTransfer.files], 'model.safetensors.index.json');
 */
export function blobFiles(files: Iterable<File>, entryName: string): CheckpointFiles {
  const byName = new Map<string, Blob>();
  for (const file of files) byName.set(file.name, file);
  return inMemoryFiles(byName, entryName, (blob, name) => blobSource(blob, name));
}
