import { parseShardedIndex } from '../checkpoint/sharded-index.js';
import type { ByteSource } from '../source/byte-source.js';

/** Metadata key (in each shard and in the index) naming the save a shard belongs to. */
export const SHARD_SET_KEY = 'reprokit.shard_set';

/**
 * Index metadata key naming the one shard of a sharded checkpoint without tensors, which holds
 * its metadata (a `weight_map` cannot point at it).
 */
export const METADATA_SHARD_KEY = 'reprokit.metadata_shard';

/** What the sharded store needs of an index. */
export interface StoreShardedIndex {
  /** Tensor name to shard file name, in the index's order. */
  readonly weightMap: ReadonlyMap<string, string>;
  /** Shard file names, each once, in order of first appearance (the metadata shard included). */
  readonly shards: readonly string[];
  /** The save token reprokit writes (`undefined` for indexes written by other tools). */
  readonly token: string | undefined;
}

// The index is streamed through the parser in pieces of this size: a 60 MB index of a large
// mixture-of-experts model is never held as one string.
const PIECE = 1 << 20;

async function* pieces(source: ByteSource): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; offset += PIECE) {
    yield await source.read(offset, Math.min(PIECE, source.size - offset));
  }
}

/**
 * Read and check the index of a sharded checkpoint from its source (`parseShardedIndex`: shard
 * names are plain file names in the index's folder, byte offsets in every error).
 */
export async function readShardedIndex(source: ByteSource): Promise<StoreShardedIndex> {
  const index = await parseShardedIndex(pieces(source), { file: source.name });
  const token = index.metadata.get(SHARD_SET_KEY);
  const lone = index.metadata.get(METADATA_SHARD_KEY);
  const shards = [...index.shards];
  if (index.weightMap.size === 0 && typeof lone === 'string' && isPlainFileName(lone)) {
    shards.push(lone);
  }
  return {
    weightMap: index.weightMap,
    shards,
    token: typeof token === 'string' ? token : undefined,
  };
}

/** A file name with no folder part, not `.` or `..`. */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
