import type { Checkpoint } from './checkpoint.js';
import { decodeSafetensors } from './safetensors-decode.js';
import { readSafetensorsFile } from './safetensors-read-file.js';
import { readShardedSafetensors, SHARD_INDEX_SUFFIX } from './sharded-safetensors.js';

/**
 * Read a safetensors checkpoint from bytes or from a file path; a path ending in
 * `.index.json` reads a sharded checkpoint (see `writeShardedSafetensors`).
 *
 * From bytes, tensors are views of `bytes` (they alias it; see `decodeSafetensors`).
 * From a path, the header is read and validated first, then the file is read once into a
 * single buffer of exactly the file's size, which the returned tensors share as views
 * (each aligned to its element size when the writer put widest dtypes first).
 *
 * @example
 * const checkpoint = await readSafetensors('model.safetensors');
 * const sharded = await readSafetensors('out/model.safetensors.index.json');
 */
export async function readSafetensors(bytesOrPath: Uint8Array | string): Promise<Checkpoint> {
  if (typeof bytesOrPath !== 'string') return decodeSafetensors(bytesOrPath);
  if (bytesOrPath.endsWith(SHARD_INDEX_SUFFIX)) return readShardedSafetensors(bytesOrPath);
  return readSafetensorsFile(bytesOrPath);
}
