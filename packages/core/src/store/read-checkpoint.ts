import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { HttpSourceOptions } from '../source/http-source-options.js';
import { isHttpUrl, openByteSource, type SourceInput } from '../source/open-byte-source.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import type { CheckpointStore, CheckpointSummary, StoreReadOptions } from './checkpoint-store.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';
import { detectCheckpointStore } from './detect-checkpoint-store.js';
import { safetensorsStore } from './safetensors-store.js';
import { shardedSafetensorsStore } from './sharded-safetensors-store.js';
import { urlFiles } from './url-files.js';

/** Any store, whatever its write options: what `readCheckpoint` picks from. */
// biome-ignore lint/suspicious/noExplicitAny: write options do not matter for reading.
export type AnyCheckpointStore = CheckpointStore<any>;

export interface ReadCheckpointOptions extends StoreReadOptions {
  /** Options of the HTTP sources opened for a URL (`fetch`, `headers`, retries, ...). */
  http?: HttpSourceOptions;
  /**
   * The stores to pick from, in order (the first whose `detect` accepts the entry reads it).
   * Default: core's own, `safetensorsStore()` and `shardedSafetensorsStore()`. Add the adapters'
   * (`tfjsArtifactsStore()`, `onnxStore()`, `kerasStore()`) to read their formats.
   */
  stores?: readonly AnyCheckpointStore[];
}

/** A checkpoint input: one file (bytes, a Blob, a ByteSource) or a file set (`CheckpointFiles`). */
export type CheckpointInput = SourceInput | CheckpointFiles;

/** Core's own stores: single and sharded safetensors. */
export function defaultCheckpointStores(): AnyCheckpointStore[] {
  return [shardedSafetensorsStore(), safetensorsStore()];
}

/**
 * Read a checkpoint in whatever format it is: the store is picked from the entry's name and
 * first bytes (`detectCheckpointStore`). A single file needs no more than itself; a format with
 * several files (sharded safetensors, tfjs artifacts) needs `CheckpointFiles`, so that the
 * files it names can be opened (`bytesFiles`, `blobFiles`, `folderFiles` in Node).
 *
 * @example
 * const checkpoint = await readCheckpoint(droppedFile);
 * const sharded = await readCheckpoint(blobFiles(droppedFiles, 'model.safetensors.index.json'));
 */
export async function readCheckpoint(
  input: CheckpointInput,
  options: ReadCheckpointOptions = {},
): Promise<Checkpoint> {
  return withFiles(input, options, (store, files) => store.read(files, options));
}

/**
 * What a checkpoint holds, from its headers alone (no tensor bytes are read), in whatever
 * format it is (see `readCheckpoint`).
 *
 * @example
 * const { format, tensors } = await inspectCheckpoint(file);
 */
export async function inspectCheckpoint(
  input: CheckpointInput,
  options: ReadCheckpointOptions = {},
): Promise<CheckpointSummary> {
  return withFiles(input, options, (store, files) => store.inspect(files, options));
}

async function withFiles<T>(
  input: CheckpointInput,
  options: ReadCheckpointOptions,
  use: (store: AnyCheckpointStore, files: CheckpointFiles) => Promise<T>,
): Promise<T> {
  const files = isCheckpointFiles(input)
    ? input
    : isHttpUrl(input)
      ? await urlFiles(input as URL | string, options.http)
      : singleFile(await openByteSource(input));
  const owned = !isCheckpointFiles(input);
  try {
    const store = await detectCheckpointStore(
      files.entry,
      options.stores ?? defaultCheckpointStores(),
    );
    return await use(store, files);
  } finally {
    if (owned) await files.entry.close();
  }
}

/** Whether `value` is a `CheckpointFiles` (an entry source and an `open` function). */
export function isCheckpointFiles(value: unknown): value is CheckpointFiles {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CheckpointFiles).open === 'function' &&
    typeof (value as CheckpointFiles).entry === 'object'
  );
}

/** One file alone: whatever it names cannot be opened. */
function singleFile(entry: CheckpointFiles['entry']): CheckpointFiles {
  return {
    entry,
    async open(name) {
      throw new CheckpointStoreError({
        code: 'STORE_FILE_NOT_FOUND',
        message: `${entry.name} names ${JSON.stringify(name)}, but only that one file was given; pass CheckpointFiles (folderFiles, blobFiles, bytesFiles) to read files it names`,
        file: name,
      });
    },
  };
}
