import type { ByteSource, CheckpointFiles } from '@reprokit/core';

/** `CheckpointFiles` that count the bytes read through them. */
export interface CountingFiles extends CheckpointFiles {
  readonly bytesRead: () => number;
}

function counting(source: ByteSource, add: (bytes: number) => void): ByteSource {
  return {
    name: source.name,
    size: source.size,
    async read(offset, length, options) {
      const bytes = await source.read(offset, length, options);
      add(length);
      return bytes;
    },
    close: () => source.close(),
  };
}

/**
 * Wrap `files` so that every byte read from the entry or from a file it names is counted.
 *
 * @example
 * const files = countingFiles(await folderFiles(path));
 * await store.inspect(files);
 * files.bytesRead(); // a few KB for a header-only read
 */
export function countingFiles(files: CheckpointFiles): CountingFiles {
  let total = 0;
  const add = (bytes: number) => {
    total += bytes;
  };
  return {
    entry: counting(files.entry, add),
    open: async (name) => counting(await files.open(name), add),
    bytesRead: () => total,
  };
}
