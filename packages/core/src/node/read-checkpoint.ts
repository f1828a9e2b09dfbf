import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { isHttpUrl } from '../source/open-byte-source.js';
import type { CheckpointSummary } from '../store/checkpoint-store.js';
import { CheckpointStoreError } from '../store/checkpoint-store-error.js';
import { detectCheckpointStore } from '../store/detect-checkpoint-store.js';
import {
  type AnyCheckpointStore,
  type CheckpointInput,
  defaultCheckpointStores,
  inspectCheckpoint as inspectCheckpointInput,
  type ReadCheckpointOptions,
  readCheckpoint as readCheckpointInput,
} from '../store/read-checkpoint.js';
import { type FolderFiles, folderFiles } from './folder-files.js';

// A save beside the reader replaces the entry twice; more attempts than that mean saves in a loop.
const MAX_ATTEMPTS = 5;

/**
 * `readCheckpoint` of the root entry, plus paths: the entry file on disk, with the files it
 * names opened from its folder. A multi-file checkpoint is read consistently even while a save
 * replaces it: if the entry was replaced during the read, the read starts over (up to 5 times,
 * then `STORE_CHANGED`).
 *
 * @example
 * const checkpoint = await readCheckpoint('out/model.safetensors.index.json');
 * const tfjs = await readCheckpoint('web/model.json', { stores: [tfjsArtifactsStore()] });
 */
export function readCheckpoint(
  input: CheckpointInput,
  options: ReadCheckpointOptions = {},
): Promise<Checkpoint> {
  if (typeof input !== 'string' || isHttpUrl(input)) return readCheckpointInput(input, options);
  return consistently(input, options, (store, files) => store.read(files, options));
}

/**
 * `inspectCheckpoint` of the root entry, plus paths (headers only, no tensor bytes).
 *
 * @example
 * const { tensors } = await inspectCheckpoint('big.safetensors');
 */
export function inspectCheckpoint(
  input: CheckpointInput,
  options: ReadCheckpointOptions = {},
): Promise<CheckpointSummary> {
  if (typeof input !== 'string' || isHttpUrl(input)) return inspectCheckpointInput(input, options);
  return consistently(input, options, (store, files) => store.inspect(files, options));
}

async function consistently<T>(
  path: string,
  options: ReadCheckpointOptions,
  use: (store: AnyCheckpointStore, files: FolderFiles) => Promise<T>,
): Promise<T> {
  const stores = options.stores ?? defaultCheckpointStores();
  for (let attempt = 1; ; attempt++) {
    const files = await folderFiles(path);
    // The check runs while the entry is still open: an inode freed by closing it could be
    // given to the next save's entry and look unchanged.
    let replaced: boolean;
    let result: T | undefined;
    let failed = false;
    let failure: unknown;
    try {
      result = await use(await detectCheckpointStore(files.entry, stores), files);
    } catch (error) {
      failed = true;
      failure = error;
    }
    try {
      replaced = await files.entryReplaced();
    } finally {
      await files.close();
    }
    if (!replaced) {
      if (failed) throw failure;
      return result as T;
    }
    // A data file deleted or replaced by a save that committed meanwhile: read again.
    if (attempt >= MAX_ATTEMPTS) {
      throw new CheckpointStoreError({
        code: 'STORE_CHANGED',
        message: `the checkpoint was replaced during each of ${MAX_ATTEMPTS} reads; is a save running in a loop?`,
        file: path,
        ...(failed ? { cause: failure } : {}),
      });
    }
  }
}
