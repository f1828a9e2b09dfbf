import { join } from 'node:path';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { SafetensorsError } from '../checkpoint/safetensors-error.js';
import {
  openSafetensors as openSafetensorsSource,
  refuseShardedIndex,
  type SafetensorsFile,
} from '../checkpoint/safetensors-file.js';
import { readSafetensors as readSafetensorsInput } from '../checkpoint/safetensors-read.js';
import { isHttpUrl, type SourceInput } from '../source/open-byte-source.js';
import { readCheckpoint as readCheckpointInput } from '../store/read-checkpoint.js';
import { safetensorsStore } from '../store/safetensors-store.js';
import { SHARD_INDEX_SUFFIX, shardedSafetensorsStore } from '../store/sharded-safetensors-store.js';
import { fileSource } from './file-source.js';
import { readCheckpoint } from './read-checkpoint.js';
import { type WriteCheckpointCallbacks, writeCheckpoint } from './write-checkpoint.js';

/**
 * `openSafetensors` of the root entry, plus paths: opens a local file lazily (the header only;
 * tensors on demand, one positioned read each). Close it when done.
 *
 * @example
 * const file = await openSafetensors('model.safetensors');
 * try {
 *   const kernel = await file.readTensor('dense/kernel');
 * } finally {
 *   await file.close();
 * }
 */
export async function openSafetensors(input: SourceInput): Promise<SafetensorsFile> {
  if (typeof input !== 'string' || isHttpUrl(input)) return openSafetensorsSource(input);
  refuseShardedIndex(input);
  return openSafetensorsSource(await fileSource(input));
}

/**
 * Read a safetensors checkpoint from bytes, a Blob, a `ByteSource` or a path; a path ending in
 * `.index.json` reads a sharded checkpoint (see `writeShardedSafetensors`).
 *
 * From bytes, tensors are views of `bytes` (they alias it; see `decodeSafetensors`). Otherwise
 * the header is read and validated first, then the file is read once into a single buffer of
 * exactly its size, which the tensors share as views.
 *
 * @example
 * const checkpoint = await readSafetensors('model.safetensors');
 * const sharded = await readSafetensors('out/model.safetensors.index.json');
 */
export async function readSafetensors(input: SourceInput): Promise<Checkpoint> {
  if (isHttpUrl(input)) {
    const sharded = new URL(input as URL | string).pathname.endsWith('.index.json');
    if (!sharded) return readSafetensorsInput(input);
    return readCheckpointInput(input, { stores: [acceptAnyName(shardedSafetensorsStore())] });
  }
  if (typeof input !== 'string') return readSafetensorsInput(input);
  const store = input.endsWith('.index.json') ? shardedSafetensorsStore() : safetensorsStore();
  return readCheckpoint(input, { stores: [acceptAnyName(store)] });
}

/**
 * Write a checkpoint to one safetensors file, atomically (temp file, fsync, rename: see
 * `writeFileAtomic`), streaming the header and then each tensor's bytes so no second copy of
 * the weights is made. Output is deterministic (see `encodeSafetensors`); a bad checkpoint is
 * refused before the disk is touched. In memory, use `encodeSafetensors`.
 *
 * @example
 * await writeSafetensors(checkpoint, 'model.safetensors');
 */
export async function writeSafetensors(
  checkpoint: Checkpoint,
  path: string,
  callbacks: WriteCheckpointCallbacks = {},
): Promise<void> {
  await writeCheckpoint(safetensorsStore(), checkpoint, path, callbacks);
}

export interface WriteShardedOptions extends WriteCheckpointCallbacks {
  /**
   * Most tensor-data bytes per shard (headers not counted, as in Hugging Face's
   * `max_shard_size`). A tensor larger than this gets a shard of its own.
   */
  maxShardSize: number;
  /** File name stem: shards are `<prefix>-00001-of-0000N.safetensors`. Default `model`. */
  prefix?: string;
}

/**
 * Write a checkpoint as shards plus an index into `dir`, the layout Hugging Face uses (see
 * `shardedSafetensorsStore`), crash-safe over an earlier save (see `writeCheckpoint`): a save
 * killed at any point leaves the old checkpoint or the new one readable, never a mix, and
 * shards an earlier, larger save left are deleted. Resolves to the index path.
 *
 * @example
 * const index = await writeShardedSafetensors(checkpoint, 'out', { maxShardSize: 2 ** 30 });
 * const again = await readSafetensors(index);
 */
export async function writeShardedSafetensors(
  checkpoint: Checkpoint,
  dir: string,
  options: WriteShardedOptions,
): Promise<string> {
  const { prefix = 'model', ...rest } = options;
  if (prefix === '' || prefix === '.' || prefix === '..' || /[/\\]/.test(prefix)) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_OPTION',
      message: `prefix must be a plain file name stem, got ${JSON.stringify(prefix)}`,
    });
  }
  const indexPath = join(dir, `${prefix}${SHARD_INDEX_SUFFIX}`);
  await writeCheckpoint(shardedSafetensorsStore(), checkpoint, indexPath, rest);
  return indexPath;
}

/** A store that reads whatever it is given: the caller has chosen the format already. */
function acceptAnyName<S extends { detect: unknown }>(store: S): S {
  return { ...store, detect: () => true };
}
