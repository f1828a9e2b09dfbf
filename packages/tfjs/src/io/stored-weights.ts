import {
  type ByteSource,
  type CheckpointFiles,
  type Dtype,
  parseShardedIndex,
  SafetensorsError,
  type SafetensorsHeader,
} from '@reprokit/core';
import { modelTopologyOf, readHeaderForIO, readModelHeader } from './safetensors-model-source.js';

/** Where one stored tensor's bytes are: a range of one file. */
export interface StoredTensor {
  readonly source: ByteSource;
  /** Absolute offset of the first byte in `source`. */
  readonly offset: number;
  readonly length: number;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
}

/**
 * The tensors of a single or sharded safetensors checkpoint, located but not read: each is a
 * byte range of one open file, so a loader reads what it needs when it needs it.
 */
export interface StoredWeights {
  /** The entry's name (the file or the index), for errors. */
  readonly name: string;
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  /** The checkpoint's metadata (a sharded one's: the first shard's, without the save token). */
  readonly metadata: ReadonlyMap<string, string>;
  /** The layers model's topology from `tfjs.modelTopology`. */
  readonly modelTopology: unknown;
  /** Close the shards this opened (never the entry: whoever made `files` closes it). */
  close(): Promise<void>;
}

// The metadata key of reprokit's sharded saves naming the save a shard belongs to.
const SHARD_SET_KEY = 'reprokit.shard_set';
// The index is parsed in pieces of this size, never held whole.
const INDEX_PIECE_BYTES = 1 << 20;

/** Whether the entry of `files` is a sharded checkpoint's index rather than a safetensors file. */
export function isShardedIndexName(name: string): boolean {
  return /\.index\.json($|[?#])/.test(name);
}

/**
 * Open the tensors of `files`: its entry is either one safetensors file or the index of a sharded
 * checkpoint (`model.safetensors.index.json`), whose shards are opened with `files.open` and
 * read for their headers only. The shards must agree with the index (every tensor where the
 * `weight_map` says, nothing else) and come from one save (`SAFETENSORS_INDEX_MISMATCH`).
 */
export async function openStoredWeights(files: CheckpointFiles): Promise<StoredWeights> {
  const entry = files.entry;
  if (!isShardedIndexName(entry.name)) {
    const { header, modelTopology } = await readModelHeader(entry);
    return {
      name: entry.name,
      tensors: locate(entry, header),
      metadata: header.metadata,
      modelTopology,
      close: async () => undefined,
    };
  }
  const index = await parseShardedIndex(indexPieces(entry), { file: entry.name });
  const opened: ByteSource[] = [];
  const close = async () => {
    await Promise.all(opened.map((source) => source.close().catch(() => undefined)));
  };
  try {
    const tensors = new Map<string, StoredTensor>();
    const metadata = new Map<string, string>();
    const indexToken = index.metadata.get(SHARD_SET_KEY);
    let firstToken: string | undefined;
    for (const [position, shard] of index.shards.entries()) {
      const source = await files.open(shard);
      opened.push(source);
      const header = await readHeaderForIO(source);
      const token = header.metadata.get(SHARD_SET_KEY);
      if (position === 0) firstToken = token;
      if ((typeof indexToken === 'string' && token !== indexToken) || token !== firstToken) {
        throw mismatch(
          source.name,
          'this shard belongs to another save than the index or the other shards; refusing to mix weights',
        );
      }
      for (const [name, owner] of index.weightMap) {
        if (owner === shard && !header.tensors.has(name)) {
          throw mismatch(
            source.name,
            `the index puts this tensor in ${shard}, which lacks it`,
            name,
          );
        }
      }
      for (const [name, tensor] of locate(source, header)) {
        if (index.weightMap.get(name) !== shard) {
          throw mismatch(source.name, `the index does not map this tensor to ${shard}`, name);
        }
        tensors.set(name, tensor);
      }
      for (const [key, value] of header.metadata) {
        if (key !== SHARD_SET_KEY && !metadata.has(key)) metadata.set(key, value);
      }
    }
    // In the index's order, which is the order a sharded writer laid the tensors out.
    const ordered = new Map<string, StoredTensor>();
    for (const name of index.weightMap.keys()) ordered.set(name, tensors.get(name)!);
    const modelTopology = modelTopologyOf(metadata, entry.name);
    return { name: entry.name, tensors: ordered, metadata, modelTopology, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function locate(source: ByteSource, header: SafetensorsHeader): Map<string, StoredTensor> {
  const tensors = new Map<string, StoredTensor>();
  for (const [name, info] of header.tensors) {
    tensors.set(name, {
      source,
      offset: header.dataStart + info.begin,
      length: info.end - info.begin,
      dtype: info.dtype,
      shape: info.shape,
    });
  }
  return tensors;
}

async function* indexPieces(source: ByteSource): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; offset += INDEX_PIECE_BYTES) {
    yield await source.read(offset, Math.min(INDEX_PIECE_BYTES, source.size - offset));
  }
}

function mismatch(file: string, message: string, tensor?: string): SafetensorsError {
  return new SafetensorsError({
    code: 'SAFETENSORS_INDEX_MISMATCH',
    message,
    file,
    ...(tensor === undefined ? {} : { tensor }),
  });
}
