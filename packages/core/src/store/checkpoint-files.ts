import type { ByteSource } from '../source/byte-source.js';

/**
 * A checkpoint's files, wherever they live: the file a user names (the entry:
 * `model.safetensors`, `model.safetensors.index.json`, `model.json`, `model.onnx`) and the files
 * it names in turn (shards, external data), opened by name relative to the entry's folder.
 * A folder on disk (`folderFiles` in `@reprokit/core/node`), files dropped on a page
 * (`blobFiles`), bytes in memory (`bytesFiles`) and a base URL are all `CheckpointFiles`.
 *
 * Whoever makes it closes `entry`; whoever calls `open` closes what it opened.
 */
export interface CheckpointFiles {
  /** The file the user named. */
  readonly entry: ByteSource;
  /**
   * Open a file the entry names, relative to the entry's folder. Rejects with
   * `STORE_INVALID_NAME` for names that leave the folder and `STORE_FILE_NOT_FOUND` for files
   * that are not there.
   */
  open(name: string): Promise<ByteSource>;
}
