import { HeaderJsonError, type HeaderValue, parseHeaderJson } from '../checkpoint/header-json.js';
import { SafetensorsError } from '../checkpoint/safetensors-error.js';

/** Metadata key (in each shard and in the index) naming the save a shard belongs to. */
export const SHARD_SET_KEY = 'reprokit.shard_set';

/**
 * Index metadata key naming the one shard of a sharded checkpoint without tensors, which holds
 * its metadata (a `weight_map` cannot point at it).
 */
export const METADATA_SHARD_KEY = 'reprokit.metadata_shard';

/** A parsed `model.safetensors.index.json`. */
export interface ShardedIndex {
  /** Tensor name to shard file name, in the index's order. */
  readonly weightMap: ReadonlyMap<string, string>;
  /** Shard file names, each once, in order of first appearance. */
  readonly shards: readonly string[];
  /** The save token reprokit writes (`undefined` for indexes written by other tools). */
  readonly token: string | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse and check an index: a JSON object whose `weight_map` maps every tensor to a shard that
 * is a plain file name in the index's folder (so an index cannot point anywhere else).
 * Anything else is `SAFETENSORS_INDEX_INVALID` with the byte offset of the problem.
 *
 * @example
 * const index = parseShardedIndex(bytes, 'model.safetensors.index.json');
 * index.shards; // ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']
 */
export function parseShardedIndex(bytes: Uint8Array, file: string): ShardedIndex {
  const invalid = (message: string, byteOffset?: number, tensor?: string): SafetensorsError =>
    new SafetensorsError({
      code: 'SAFETENSORS_INDEX_INVALID',
      message,
      file,
      ...(byteOffset === undefined ? {} : { byteOffset }),
      ...(tensor === undefined ? {} : { tensor }),
    });
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw invalid('the index is not valid UTF-8');
  }
  const offsetOf = (at: number) => new TextEncoder().encode(text.slice(0, at)).length;
  let root: HeaderValue;
  try {
    root = parseHeaderJson(text);
  } catch (cause) {
    if (cause instanceof HeaderJsonError)
      throw invalid(`the index is not valid JSON: ${cause.message}`, offsetOf(cause.at));
    throw cause;
  }
  if (root.kind !== 'object') throw invalid('the index must be a JSON object', offsetOf(root.at));
  const weightMapValue = root.entries.get('weight_map')?.value;
  if (weightMapValue?.kind !== 'object') {
    throw invalid('the index has no "weight_map" object', offsetOf(weightMapValue?.at ?? root.at));
  }
  const weightMap = new Map<string, string>();
  const shards = new Set<string>();
  for (const [name, entry] of weightMapValue.entries) {
    const value = entry.value;
    if (value.kind !== 'string') {
      throw invalid(
        `weight_map[${JSON.stringify(name)}] must be a shard file name`,
        offsetOf(value.at),
        name,
      );
    }
    if (!isPlainFileName(value.value)) {
      throw invalid(
        `shard ${JSON.stringify(value.value)} is not a plain file name in the index's folder`,
        offsetOf(value.at),
        name,
      );
    }
    weightMap.set(name, value.value);
    shards.add(value.value);
  }
  const metadata = root.entries.get('metadata')?.value;
  const stringEntry = (key: string) => {
    const value = metadata?.kind === 'object' ? metadata.entries.get(key)?.value : undefined;
    return value?.kind === 'string' ? value : undefined;
  };
  const lone = stringEntry(METADATA_SHARD_KEY);
  if (lone !== undefined && weightMap.size === 0) {
    if (!isPlainFileName(lone.value)) {
      throw invalid(
        `shard ${JSON.stringify(lone.value)} is not a plain file name in the index's folder`,
        offsetOf(lone.at),
      );
    }
    shards.add(lone.value);
  }
  return { weightMap, shards: [...shards], token: stringEntry(SHARD_SET_KEY)?.value };
}

/** A file name with no folder part, not `.` or `..`. */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}
