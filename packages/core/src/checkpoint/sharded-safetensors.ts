import { createHash } from 'node:crypto';
import { access, copyFile, link, mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { fingerprint } from './fingerprint.js';
import { HeaderJsonError, type HeaderValue, parseHeaderJson } from './header-json.js';
import { compareCodePoints, planSafetensors } from './safetensors-encode.js';
import { SafetensorsError } from './safetensors-error.js';
import { openSafetensors } from './safetensors-file.js';
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
 * carries the checkpoint's metadata plus `reprokit.shard_set`, a token naming this save (also
 * in the index's `metadata`). Crash-safe over an earlier save: new shards are written to
 * pending files, the earlier index's shards that will be replaced are kept as hard links,
 * the new shards are renamed into place and the index is written last (atomically); a save
 * killed at any point leaves the old checkpoint or the new one readable, never a mix.
 * Afterwards, unused shards with the same prefix, the kept links and pending shards left by
 * killed saves are deleted. Two saves
 * running at once into the same folder are not supported (the reader then refuses the mix).
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

  if (checkpoint.metadata.has(SHARD_SET_KEY)) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_NAME',
      message: `metadata key "${SHARD_SET_KEY}" is reserved for sharded checkpoints`,
    });
  }

  await io(dir, () => mkdir(dir, { recursive: true }));
  const token = shardSetToken(checkpoint, options.maxShardSize, prefix);
  const shardMetadata = new Map(checkpoint.metadata).set(SHARD_SET_KEY, token);
  const count = String(shards.length).padStart(5, '0');
  const fileNames = shards.map(
    (_, index) => `${prefix}-${String(index + 1).padStart(5, '0')}-of-${count}.safetensors`,
  );
  const indexPath = join(dir, `${prefix}.safetensors${SHARD_INDEX_SUFFIX}`);
  const oldToken = await readIndexToken(indexPath);

  // 1. Every new shard goes to a pending file first: until step 3 nothing the old index uses moves.
  const weightMap: string[] = [];
  for (const [index, shard] of shards.entries()) {
    const fileName = fileNames[index]!;
    await writeSafetensors(
      { tensors: new Map(shard), metadata: shardMetadata },
      join(dir, pendingName(fileName, token)),
    );
    for (const [name] of shard)
      weightMap.push(`    ${JSON.stringify(name)}: ${JSON.stringify(fileName)}`);
  }
  // 2. Keep (hard links, no copy) the old index's shards that step 3 will replace, so a reader
  //    of the old index finds them if the save dies between the renames.
  if (oldToken !== undefined) {
    for (const fileName of fileNames) {
      const target = join(dir, fileName);
      const backup = join(dir, backupName(fileName, oldToken));
      if (!(await exists(target)) || (await exists(backup))) continue;
      if ((await readShardToken(target)) !== oldToken) continue;
      // A hard link costs nothing; file systems without them get a copy.
      await io(backup, () => link(target, backup).catch(() => copyFile(target, backup)));
    }
  }
  // 3. New shards into place, then 4. the index, the commit point.
  for (const fileName of fileNames) {
    const target = join(dir, fileName);
    await io(target, () => rename(join(dir, pendingName(fileName, token)), target));
  }
  // Built as text: weight_map keys such as "__proto__" must stay ordinary keys.
  const index = `{\n  "metadata": {\n    "total_size": ${totalSize},\n    "${SHARD_SET_KEY}": "${token}"\n  },\n  "weight_map": {${
    weightMap.length > 0 ? `\n${weightMap.join(',\n')}\n  ` : ''
  }}\n}\n`;
  await writeFileAtomic(indexPath, new TextEncoder().encode(index));
  // 5. The old shards and their backups are no longer referenced.
  await removeStaleFiles(dir, prefix, new Set(fileNames));
  return indexPath;
}

/**
 * Metadata key (in each shard) and index `metadata` key naming the save a shard belongs to: a
 * hash of the checkpoint and the sharding, so identical saves still give identical files.
 */
export const SHARD_SET_KEY = 'reprokit.shard_set';

function shardSetToken(checkpoint: Checkpoint, maxShardSize: number, prefix: string): string {
  const hash = createHash('sha256').update(fingerprint(checkpoint));
  for (const key of [...checkpoint.metadata.keys()].sort(compareCodePoints)) {
    hash.update(JSON.stringify([key, checkpoint.metadata.get(key)]));
  }
  return hash
    .update(JSON.stringify([maxShardSize, prefix]))
    .digest('hex')
    .slice(0, 16);
}

const pendingName = (fileName: string, token: string) => `.${fileName}.${token}.reprokit-pending`;
const backupName = (fileName: string, token: string) => `.${fileName}.${token}.reprokit-old`;

async function readIndexToken(indexPath: string): Promise<string | undefined> {
  try {
    const root = parseHeaderJson(await readFile(indexPath, 'utf8'));
    if (root.kind !== 'object') return undefined;
    const metadata = root.entries.get('metadata')?.value;
    if (metadata?.kind !== 'object') return undefined;
    const token = metadata.entries.get(SHARD_SET_KEY)?.value;
    return token?.kind === 'string' ? token.value : undefined;
  } catch {
    return undefined; // no index yet, or one we cannot read: nothing to protect
  }
}

async function readShardToken(path: string): Promise<string | undefined> {
  try {
    const file = await openSafetensors(path);
    await file.close();
    return file.header.metadata.get(SHARD_SET_KEY);
  } catch {
    return undefined;
  }
}

async function removeStaleFiles(dir: string, prefix: string, keep: Set<string>): Promise<void> {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const shard = new RegExp(`^${escaped}-\\d{5}-of-\\d{5}\\.safetensors$`);
  // Kept originals, and pending shards of saves that never reached step 3 (killed; this save's
  // own pending files are all renamed by now).
  const leftover = new RegExp(
    `^\\.${escaped}-\\d{5}-of-\\d{5}\\.safetensors\\.[0-9a-f]{16}\\.reprokit-(old|pending)$`,
  );
  for (const entry of await io(dir, () => readdir(dir))) {
    if ((shard.test(entry) && !keep.has(entry)) || leftover.test(entry)) {
      await unlink(join(dir, entry)).catch(() => undefined);
    }
  }
}

/**
 * Read a sharded checkpoint from its `.index.json`. Every tensor the `weight_map` names must
 * be in the shard it points to, and every tensor in a shard must be in the `weight_map`
 * (SAFETENSORS_INDEX_MISMATCH otherwise); shard names must be plain file names in the index's
 * folder (SAFETENSORS_INDEX_INVALID otherwise, so an index cannot point outside its folder).
 * Tensors come in `weight_map` order; metadata is the union of the shards' (first shard wins;
 * with an empty `weight_map`, from `<stem>-00001-of-00001.safetensors` if present).
 * Shards written by reprokit carry the save's token (`reprokit.shard_set`, removed from the
 * returned metadata); a shard whose token is not the index's is replaced by the original the
 * interrupted save kept, or refused with SAFETENSORS_INDEX_MISMATCH: weights of two saves are
 * never mixed silently.
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
  const indexMetadata = root.entries.get('metadata')?.value;
  const tokenValue =
    indexMetadata?.kind === 'object' ? indexMetadata.entries.get(SHARD_SET_KEY)?.value : undefined;
  const indexToken = tokenValue?.kind === 'string' ? tokenValue.value : undefined;
  const shardTokens = new Set<string | undefined>();
  const found = new Map<string, CheckpointTensor>();
  const metadata = new Map<string, string>();
  for (const [shard, names] of byShard) {
    const shardPath = join(folder, shard);
    let checkpoint = await readSafetensorsFile(shardPath);
    if (indexToken !== undefined && checkpoint.metadata.get(SHARD_SET_KEY) !== indexToken) {
      // An interrupted save replaced this shard before writing its index: use the kept original.
      const backup = join(folder, backupName(shard, indexToken));
      if (await exists(backup)) checkpoint = await readSafetensorsFile(backup);
      if (checkpoint.metadata.get(SHARD_SET_KEY) !== indexToken) {
        throw new SafetensorsError({
          code: 'SAFETENSORS_INDEX_MISMATCH',
          message: `this shard belongs to another save than the index (an interrupted or concurrent save); refusing to mix weights`,
          file: shardPath,
        });
      }
    }
    shardTokens.add(checkpoint.metadata.get(SHARD_SET_KEY));
    if (indexToken === undefined && shardTokens.size > 1) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_INDEX_MISMATCH',
        message:
          'the shards come from different saves (an interrupted or concurrent save); refusing to mix weights',
        file: shardPath,
      });
    }
    checkpoint.metadata.delete(SHARD_SET_KEY);
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

/** Run a file-system step of a sharded save, turning its failure into SAFETENSORS_IO. */
async function io<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_IO',
      message: `sharded save failed: ${(cause as Error).message}`,
      file: path,
      cause,
    });
  }
}
