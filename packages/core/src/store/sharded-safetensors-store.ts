import type { Checkpoint, CheckpointTensor } from '../checkpoint/checkpoint.js';
import { fingerprint } from '../checkpoint/fingerprint.js';
import { compareCodePoints, planSafetensors } from '../checkpoint/safetensors-encode.js';
import { SafetensorsError } from '../checkpoint/safetensors-error.js';
import { readSafetensorsHeaderFrom } from '../checkpoint/safetensors-file.js';
import type { SafetensorsHeader } from '../checkpoint/safetensors-header.js';
import { createSha256 } from '../hash/create-sha-256.js';
import type { ByteSource } from '../source/byte-source.js';
import type { CheckpointFiles } from './checkpoint-files.js';
import type { CheckpointStore, EncodedFile, TensorSummary } from './checkpoint-store.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';
import { readWholeSafetensors } from './safetensors-store.js';
import {
  METADATA_SHARD_KEY,
  readShardedIndex,
  SHARD_SET_KEY,
  type StoreShardedIndex,
} from './sharded-index.js';

/** A sharded checkpoint's entry is its index, whose name ends with this. */
export const SHARD_INDEX_SUFFIX = '.safetensors.index.json';

export interface ShardedSafetensorsWriteOptions {
  /**
   * Most tensor-data bytes per shard (headers not counted, as in Hugging Face's
   * `max_shard_size`). A tensor larger than this gets a shard of its own.
   */
  maxShardSize: number;
}

/**
 * The store of sharded safetensors checkpoints, the layout Hugging Face uses:
 * `model-00001-of-00003.safetensors`, ... and `model.safetensors.index.json` holding
 * `{"metadata": {"total_size": <data bytes>}, "weight_map": {<tensor>: <shard file>}}`.
 *
 * - inspect: the index and each shard's header; no tensor bytes.
 * - read: tensors in `weight_map` order. Every tensor the `weight_map` names must be in its
 *   shard and every tensor of a shard in the `weight_map` (`SAFETENSORS_INDEX_MISMATCH`); shard
 *   names must be plain file names (`SAFETENSORS_INDEX_INVALID`). Metadata is the union of the
 *   shards' (first shard wins).
 * - encode: tensors in name order (Unicode code points), packed greedily up to
 *   `maxShardSize`; every shard carries the checkpoint's metadata plus `reprokit.shard_set`, a
 *   token naming this save (also in the index), which the reader checks so that shards of two
 *   saves are never mixed silently. The token is a hash of the weights and the sharding, so
 *   identical saves give identical files.
 *
 * @example
 * await writeCheckpoint(shardedSafetensorsStore(), checkpoint, 'out/model.safetensors.index.json', {
 *   maxShardSize: 2 ** 30,
 * }); // writeCheckpoint is in @reprokit/core/node
 */
export function shardedSafetensorsStore(): CheckpointStore<ShardedSafetensorsWriteOptions> {
  return {
    specificationVersion: 'v1',
    format: 'safetensors-sharded',
    extensions: [SHARD_INDEX_SUFFIX],
    detect({ name, head }) {
      if (head[firstNonSpace(head)] !== 0x7b) return false;
      return (
        name.endsWith('.index.json') || new TextDecoder().decode(head).includes('"weight_map"')
      );
    },
    async inspect(files) {
      const index = await readIndex(files.entry);
      const tensors = new Map<string, TensorSummary>();
      const metadata = new Map<string, string>();
      const tokens = new Set<string | undefined>();
      await forEachShard(files, index, async (shard, source) => {
        const header = await readSafetensorsHeaderFrom(source);
        const names = checkShard(index, shard, header, source.name, tokens);
        for (const name of names) {
          const info = header.tensors.get(name)!;
          tensors.set(name, {
            name,
            dtype: info.dtype,
            shape: info.shape,
            byteLength: info.end - info.begin,
          });
        }
        mergeMetadata(metadata, header.metadata);
      });
      return {
        format: 'safetensors-sharded',
        tensors: [...index.weightMap.keys()].map((name) => tensors.get(name)!),
        metadata,
        files: [files.entry.name, ...index.shards],
      };
    },
    async read(files, options) {
      const index = await readIndex(files.entry);
      const found = new Map<string, CheckpointTensor>();
      const metadata = new Map<string, string>();
      const tokens = new Set<string | undefined>();
      await forEachShard(files, index, async (shard, source) => {
        const header = await readSafetensorsHeaderFrom(source);
        checkShard(index, shard, header, source.name, tokens);
        const checkpoint = await readWholeSafetensors(source, options?.signal);
        for (const [name, tensor] of checkpoint.tensors) found.set(name, tensor);
        mergeMetadata(metadata, header.metadata);
      });
      const tensors = new Map<string, CheckpointTensor>();
      for (const name of index.weightMap.keys()) tensors.set(name, found.get(name)!);
      return { tensors, metadata };
    },
    async encode(checkpoint, options) {
      return encodeSharded(checkpoint, options.entryName, options.maxShardSize);
    },
    async dataFilesOf(files) {
      return [...(await readIndex(files.entry)).shards];
    },
  };
}

function readIndex(entry: ByteSource): Promise<StoreShardedIndex> {
  return readShardedIndex(entry);
}

async function forEachShard(
  files: CheckpointFiles,
  index: StoreShardedIndex,
  visit: (shard: string, source: ByteSource) => Promise<void>,
): Promise<void> {
  for (const shard of index.shards) {
    const source = await files.open(shard);
    try {
      await visit(shard, source);
    } finally {
      await source.close();
    }
  }
}

/**
 * Check one shard's header against the index: the save token and both directions of the
 * weight map. Returns the shard's tensor names.
 */
function checkShard(
  index: StoreShardedIndex,
  shard: string,
  header: SafetensorsHeader,
  file: string,
  seenTokens: Set<string | undefined>,
): string[] {
  const token = header.metadata.get(SHARD_SET_KEY);
  if (index.token !== undefined && token !== index.token) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INDEX_MISMATCH',
      message:
        'this shard belongs to another save than the index (replaced by hand or by another tool); refusing to mix weights',
      file,
    });
  }
  // An index without a token (another tool's) still must not gather shards of several saves.
  seenTokens.add(token);
  if (seenTokens.size > 1) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INDEX_MISMATCH',
      message: 'the shards come from different saves; refusing to mix weights',
      file,
    });
  }
  for (const [name, owner] of index.weightMap) {
    if (owner === shard && !header.tensors.has(name)) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_INDEX_MISMATCH',
        message: `the index puts this tensor in ${shard}, which does not contain it`,
        file,
        tensor: name,
      });
    }
  }
  for (const name of header.tensors.keys()) {
    if (index.weightMap.get(name) !== shard) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_INDEX_MISMATCH',
        message: `${shard} contains this tensor but the index does not map it to ${shard}`,
        file,
        tensor: name,
      });
    }
  }
  return [...header.tensors.keys()];
}

/** The first shard's value wins; the save token is not the checkpoint's metadata. */
function mergeMetadata(into: Map<string, string>, shard: ReadonlyMap<string, string>): void {
  for (const [key, value] of shard) {
    if (key !== SHARD_SET_KEY && !into.has(key)) into.set(key, value);
  }
}

/** Index of the first byte that is not JSON whitespace or part of a UTF-8 byte order mark. */
export function firstNonSpace(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length && JSON_LEADING_BYTES.has(bytes[index]!)) index++;
  return index;
}

const JSON_LEADING_BYTES = new Set([0x20, 0x0a, 0x0d, 0x09, 0xef, 0xbb, 0xbf]);

function invalidOption(message: string): SafetensorsError {
  return new SafetensorsError({ code: 'SAFETENSORS_INVALID_OPTION', message });
}

function encodeSharded(checkpoint: Checkpoint, entryName: string, maxShardSize: number) {
  if (!entryName.endsWith(SHARD_INDEX_SUFFIX) || entryName === SHARD_INDEX_SUFFIX) {
    throw new CheckpointStoreError({
      code: 'STORE_INVALID_NAME',
      message: `a sharded checkpoint's index is named <prefix>${SHARD_INDEX_SUFFIX}`,
      file: entryName,
    });
  }
  const prefix = entryName.slice(0, -SHARD_INDEX_SUFFIX.length);
  if (/[/\\]/.test(prefix) || prefix === '.' || prefix === '..') {
    throw invalidOption(
      `the index name must be a plain file name, got ${JSON.stringify(entryName)}`,
    );
  }
  if (!Number.isSafeInteger(maxShardSize) || maxShardSize <= 0) {
    throw invalidOption(
      `maxShardSize must be a positive integer number of bytes, got ${maxShardSize}`,
    );
  }
  if (checkpoint.metadata.has(SHARD_SET_KEY)) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_NAME',
      message: `metadata key "${SHARD_SET_KEY}" is reserved for sharded checkpoints`,
    });
  }
  planSafetensors(checkpoint); // validates every tensor and name before anything is written

  const names = [...checkpoint.tensors.keys()].sort(compareCodePoints);
  const groups: Array<Array<[string, CheckpointTensor]>> = [];
  let current: Array<[string, CheckpointTensor]> = [];
  let currentSize = 0;
  let totalSize = 0;
  for (const name of names) {
    const tensor = checkpoint.tensors.get(name)!;
    if (current.length > 0 && currentSize + tensor.data.length > maxShardSize) {
      groups.push(current);
      current = [];
      currentSize = 0;
    }
    current.push([name, tensor]);
    currentSize += tensor.data.length;
    totalSize += tensor.data.length;
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);

  const token = shardSetToken(checkpoint, maxShardSize, prefix);
  const shardMetadata = new Map(checkpoint.metadata).set(SHARD_SET_KEY, token);
  const count = String(groups.length).padStart(5, '0');
  const dataFiles: EncodedFile[] = groups.map((group, index) => {
    const layout = planSafetensors({ tensors: new Map(group), metadata: shardMetadata });
    return {
      name: `${prefix}-${String(index + 1).padStart(5, '0')}-of-${count}.safetensors`,
      chunks: [layout.prefix, ...layout.tensors.map((planned) => planned.tensor.data)],
    };
  });
  return {
    dataFiles,
    entry(nameOf: (dataFile: string) => string): EncodedFile {
      const weightMap: string[] = [];
      for (const [index, group] of groups.entries()) {
        const shard = nameOf(dataFiles[index]!.name);
        for (const [name] of group)
          weightMap.push(`    ${JSON.stringify(name)}: ${JSON.stringify(shard)}`);
      }
      const lone =
        names.length === 0
          ? `,\n    "${METADATA_SHARD_KEY}": ${JSON.stringify(nameOf(dataFiles[0]!.name))}`
          : '';
      // Built as text: weight_map keys such as "__proto__" must stay ordinary keys.
      const text = `{\n  "metadata": {\n    "total_size": ${totalSize},\n    "${SHARD_SET_KEY}": "${token}"${lone}\n  },\n  "weight_map": {${
        weightMap.length > 0 ? `\n${weightMap.join(',\n')}\n  ` : ''
      }}\n}\n`;
      return { name: entryName, chunks: [new TextEncoder().encode(text)] };
    },
  };
}

function shardSetToken(checkpoint: Checkpoint, maxShardSize: number, prefix: string): string {
  const hash = createSha256().update(new TextEncoder().encode(fingerprint(checkpoint)));
  for (const key of [...checkpoint.metadata.keys()].sort(compareCodePoints)) {
    hash.update(new TextEncoder().encode(JSON.stringify([key, checkpoint.metadata.get(key)])));
  }
  return hash
    .update(new TextEncoder().encode(JSON.stringify([maxShardSize, prefix])))
    .digestHex()
    .slice(0, 16);
}
