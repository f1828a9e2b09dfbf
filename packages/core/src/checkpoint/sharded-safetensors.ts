import { access, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { HeaderJsonError, type HeaderValue, parseHeaderJson } from './header-json.js';
import { compareCodePoints, planSafetensors } from './safetensors-encode.js';
import { SafetensorsError } from './safetensors-error.js';
import { readSafetensorsFile } from './safetensors-read-file.js';
import { writeSafetensors } from './safetensors-write.js';

/** A sharded checkpoint is read from the path of its index, which ends with this. */
export const SHARD_INDEX_SUFFIX = '.index.json';

export interface WriteShardedOptions {
  /**
   * Most tensor-data bytes per shard (headers not counted, as in Hugging Face's
   * `max_shard_size`). A tensor larger than this gets a shard of its own.
   */
  maxShardSize: number;
  /** File name stem: shards are `<prefix>-00001-of-0000N.safetensors`. Default `model`. */
  prefix?: string;
}

/**
 * Write a checkpoint as shards plus an index, the layout Hugging Face uses:
 * `model-00001-of-00003.safetensors`, ... and `model.safetensors.index.json` holding
 * `{"metadata": {"total_size": <data bytes>}, "weight_map": {<tensor>: <shard file>}}`.
 * Tensors are taken in name order (Unicode code points) and packed greedily; every shard
 * carries the checkpoint's metadata. Each file is written atomically, shards first and the
 * index last, so an index on disk always points at complete shards; shards of an earlier
 * write with the same prefix that the new index does not use are then deleted.
 * Resolves to the index path.
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
  const prefix = options.prefix ?? 'model';
  if (!Number.isSafeInteger(options.maxShardSize) || options.maxShardSize <= 0) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_OPTION',
      message: `maxShardSize must be a positive integer number of bytes, got ${options.maxShardSize}`,
    });
  }
  if (prefix === '' || /[/\\]/.test(prefix) || prefix === '.' || prefix === '..') {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_OPTION',
      message: `prefix must be a plain file name stem, got ${JSON.stringify(prefix)}`,
    });
  }
  planSafetensors(checkpoint); // validates every tensor and name before anything is written

  const names = [...checkpoint.tensors.keys()].sort(compareCodePoints);
  const shards: Array<Array<[string, CheckpointTensor]>> = [];
  let current: Array<[string, CheckpointTensor]> = [];
  let currentSize = 0;
  let totalSize = 0;
  for (const name of names) {
    const tensor = checkpoint.tensors.get(name)!;
    if (current.length > 0 && currentSize + tensor.data.length > options.maxShardSize) {
      shards.push(current);
      current = [];
      currentSize = 0;
    }
    current.push([name, tensor]);
    currentSize += tensor.data.length;
    totalSize += tensor.data.length;
  }
  if (current.length > 0 || shards.length === 0) shards.push(current);

  await mkdir(dir, { recursive: true });
  const count = String(shards.length).padStart(5, '0');
  const fileNames = shards.map(
    (_, index) => `${prefix}-${String(index + 1).padStart(5, '0')}-of-${count}.safetensors`,
  );
  const weightMap: string[] = [];
  for (const [index, shard] of shards.entries()) {
    const fileName = fileNames[index]!;
    await writeSafetensors(
      { tensors: new Map(shard), metadata: checkpoint.metadata },
      join(dir, fileName),
    );
    for (const [name] of shard)
      weightMap.push(`    ${JSON.stringify(name)}: ${JSON.stringify(fileName)}`);
  }
  // Built as text: weight_map keys such as "__proto__" must stay ordinary keys.
  const index = `{\n  "metadata": {\n    "total_size": ${totalSize}\n  },\n  "weight_map": {${
    weightMap.length > 0 ? `\n${weightMap.join(',\n')}\n  ` : ''
  }}\n}\n`;
  const indexPath = join(dir, `${prefix}.safetensors${SHARD_INDEX_SUFFIX}`);
  await writeFileAtomic(indexPath, new TextEncoder().encode(index));
  await removeStaleShards(dir, prefix, new Set(fileNames));
  return indexPath;
}

async function removeStaleShards(dir: string, prefix: string, keep: Set<string>): Promise<void> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}-\\d{5}-of-\\d{5}\\.safetensors$`);
  for (const entry of await readdir(dir)) {
    if (pattern.test(entry) && !keep.has(entry))
      await unlink(join(dir, entry)).catch(() => undefined);
  }
}

/**
 * Read a sharded checkpoint from its `.index.json`. Every tensor the `weight_map` names must
 * be in the shard it points to, and every tensor in a shard must be in the `weight_map`
 * (SAFETENSORS_INDEX_MISMATCH otherwise); shard names must be plain file names in the index's
 * folder (SAFETENSORS_INDEX_INVALID otherwise, so an index cannot point outside its folder).
 * Tensors come in `weight_map` order; metadata is the union of the shards' (first shard wins;
 * with an empty `weight_map`, from `<stem>-00001-of-00001.safetensors` if present).
 *
 * @example
 * const checkpoint = await readShardedSafetensors('out/model.safetensors.index.json');
 */
export async function readShardedSafetensors(indexPath: string): Promise<Checkpoint> {
  let raw: Uint8Array;
  try {
    raw = await readFile(indexPath);
  } catch (cause) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_IO',
      message: `cannot read the index: ${(cause as Error).message}`,
      file: indexPath,
      cause,
    });
  }
  const invalid = (message: string, byteOffset?: number, tensor?: string): SafetensorsError =>
    new SafetensorsError({
      code: 'SAFETENSORS_INDEX_INVALID',
      message,
      file: indexPath,
      ...(byteOffset === undefined ? {} : { byteOffset }),
      ...(tensor === undefined ? {} : { tensor }),
    });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
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
  const weightMap = root.entries.get('weight_map')?.value;
  if (weightMap?.kind !== 'object') {
    throw invalid('the index has no "weight_map" object', offsetOf(weightMap?.at ?? root.at));
  }

  const byShard = new Map<string, string[]>();
  const order: string[] = [];
  for (const [name, entry] of weightMap.entries) {
    const value = entry.value;
    if (value.kind !== 'string') {
      throw invalid(
        `weight_map[${JSON.stringify(name)}] must be a shard file name`,
        offsetOf(value.at),
        name,
      );
    }
    const shard = value.value;
    if (
      shard === '' ||
      shard === '.' ||
      shard === '..' ||
      /[/\\]/.test(shard) ||
      basename(shard) !== shard
    ) {
      throw invalid(
        `shard ${JSON.stringify(shard)} is not a plain file name in the index's folder`,
        offsetOf(value.at),
        name,
      );
    }
    order.push(name);
    const list = byShard.get(shard);
    if (list === undefined) byShard.set(shard, [name]);
    else list.push(name);
  }

  const folder = dirname(indexPath);
  const stem = basename(indexPath).replace(/\.safetensors\.index\.json$/, '');
  if (byShard.size === 0 && stem !== basename(indexPath)) {
    // No tensor points at a shard; the writer still left one holding the metadata.
    const lone = `${stem}-00001-of-00001.safetensors`;
    if (await exists(join(folder, lone))) byShard.set(lone, []);
  }
  const found = new Map<string, CheckpointTensor>();
  const metadata = new Map<string, string>();
  for (const [shard, names] of byShard) {
    const shardPath = join(folder, shard);
    const checkpoint = await readSafetensorsFile(shardPath);
    const expected = new Set(names);
    for (const name of names) {
      const tensor = checkpoint.tensors.get(name);
      if (tensor === undefined) {
        throw new SafetensorsError({
          code: 'SAFETENSORS_INDEX_MISMATCH',
          message: `the index puts this tensor in ${shard}, which does not contain it`,
          file: shardPath,
          tensor: name,
        });
      }
      found.set(name, tensor);
    }
    for (const name of checkpoint.tensors.keys()) {
      if (!expected.has(name)) {
        throw new SafetensorsError({
          code: 'SAFETENSORS_INDEX_MISMATCH',
          message: `${shard} contains this tensor but the index does not map it to ${shard}`,
          file: shardPath,
          tensor: name,
        });
      }
    }
    for (const [key, value] of checkpoint.metadata)
      if (!metadata.has(key)) metadata.set(key, value);
  }
  const tensors = new Map<string, CheckpointTensor>();
  for (const name of order) tensors.set(name, found.get(name)!);
  return { tensors, metadata };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
