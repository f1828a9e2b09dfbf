import {
  type ByteSource,
  type Checkpoint,
  type CheckpointFiles,
  type CheckpointStore,
  CheckpointStoreError,
  type CheckpointSummary,
  type Dtype,
  dtypeSize,
  elementCount,
  type FormatProbe,
  type StoreReadOptions,
  type TensorSummary,
} from '@reprokit/core';
import { manifestWeightByteLength } from './decode-manifest-weight.js';
import {
  artifactMetadata,
  artifactWeightNames,
  decodeTfjsArtifacts,
  type TfjsArtifactsNames,
} from './decode-tfjs-artifacts.js';
import {
  encodeTfjsArtifactFiles,
  type TfjsArtifactsWriteOptions,
} from './encode-tfjs-artifact-files.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import {
  parseTfjsModelJson,
  type TfjsModelJson,
  type WeightsManifestGroup,
} from './weights-manifest.js';

/** The format name of `tfjsArtifactsStore()`. */
export const TFJS_ARTIFACTS_FORMAT = 'tfjs-artifacts';

export interface TfjsArtifactsStoreOptions {
  /** How weights read are named; default `'structural'` (see `TfjsArtifactsNames`). */
  names?: TfjsArtifactsNames;
}

/**
 * The store of TensorFlow.js artifacts: a `model.json` (with `weightsManifest`) or a bare
 * weights-manifest JSON array (`weights_manifest.json`), plus the binary shard files it lists.
 *
 * - detect: the entry is JSON with `weightsManifest` or `modelTopology` (an object), or an array
 *   of groups with `paths` and `weights`.
 * - inspect: the manifest, and each shard's size (no weight bytes).
 * - read: groups one at a time, their shards read into one buffer and split by weight in
 *   manifest order; quantized weights (`uint8`, `uint16` with `scale` and `min`; `float16`) are
 *   dequantized exactly as `tf.io.decodeWeights` does. Names are structural when the file has a
 *   topology; topology, training config and format fields go to metadata (`TFJS_METADATA_KEYS`).
 * - encode (write options `TfjsArtifactsWriteOptions`): `model.json` plus
 *   `group1-shard<i>of<n>.bin` files of `shardSize` bytes, as tensorflowjs_converter writes them
 *   (for an entry not named `model.json`, shards are prefixed with its stem: `a.group1-...`).
 * - dataFilesOf: the `.bin` files the entry lists in its own folder, so a save over it deletes
 *   those the new one no longer uses.
 *
 * Bad input gets a `TfjsArtifactsError` naming the file and the weight.
 *
 * @example
 * const files = blobFiles(droppedFiles, 'model.json');
 * const checkpoint = await readCheckpoint(files, { stores: [tfjsArtifactsStore()] });
 */
export function tfjsArtifactsStore(
  options: TfjsArtifactsStoreOptions = {},
): CheckpointStore<TfjsArtifactsWriteOptions> {
  return {
    specificationVersion: 'v1',
    format: TFJS_ARTIFACTS_FORMAT,
    extensions: ['.json'],
    detect: looksLikeTfjsArtifacts,
    async inspect(files) {
      const file = files.entry.name;
      const modelJson = await readModelJson(files.entry);
      const needed = modelJson.weightsManifest.map((group) => groupByteLength(group, file));
      const shardFiles: string[] = [];
      for (const [index, group] of modelJson.weightsManifest.entries()) {
        const sources = await openShards(files, group, file);
        try {
          checkShardSizes(group, sources, needed[index]!, file);
          shardFiles.push(...sources.map((source) => source.name));
        } finally {
          await closeAll(sources);
        }
      }
      return summarize(modelJson, options.names, file, [file, ...shardFiles]);
    },
    async read(files, readOptions) {
      const file = files.entry.name;
      const modelJson = await readModelJson(files.entry);
      const needed = modelJson.weightsManifest.map((group) => groupByteLength(group, file));
      const total = needed.reduce((sum, length) => sum + length, 0);
      const groups: Uint8Array[] = [];
      let done = 0;
      for (const [index, group] of modelJson.weightsManifest.entries()) {
        const bytes = await readGroup(files, group, needed[index]!, file, readOptions, (read) => {
          readOptions?.onProgress?.(done + read, total);
        });
        done += bytes.byteLength;
        groups.push(bytes);
      }
      return decodeTfjsArtifacts(modelJson, groups, { names: options.names, file, copy: false });
    },
    async encode(checkpoint: Checkpoint, encodeOptions) {
      return encodeTfjsArtifactFiles(checkpoint, encodeOptions);
    },
    async dataFilesOf(files) {
      const modelJson = await readModelJson(files.entry);
      return modelJson.weightsManifest
        .flatMap((group) => group.paths.map((path) => path.replace(/^(\.\/)+/, '')))
        .filter((path) => /^[^/\\]+\.bin$/.test(path) && !path.startsWith('.'));
    },
  };
}

/**
 * Whether a file is a tfjs `model.json` or weights manifest, from its first bytes: a JSON object
 * naming `weightsManifest` or `modelTopology` (and not a sharded safetensors index's
 * `weight_map`), or a JSON array of groups with `paths` and `weights`.
 */
function looksLikeTfjsArtifacts({ name, head }: FormatProbe): boolean {
  if (name.endsWith('.index.json')) return false;
  let start = 0;
  while (start < head.length && JSON_LEADING_BYTES.has(head[start]!)) start++;
  const text = new TextDecoder().decode(head.subarray(start));
  if (text.startsWith('[')) return text.includes('"paths"') && text.includes('"weights"');
  if (!text.startsWith('{') || text.includes('"weight_map"')) return false;
  return text.includes('"weightsManifest"') || text.includes('"modelTopology"');
}

/** JSON whitespace and the bytes of a UTF-8 byte order mark. */
const JSON_LEADING_BYTES = new Set([0x20, 0x0a, 0x0d, 0x09, 0xef, 0xbb, 0xbf]);

async function readModelJson(entry: ByteSource): Promise<TfjsModelJson> {
  const bytes = await entry.read(0, entry.size);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BAD_MANIFEST',
      message: `cannot read the manifest: ${(cause as Error).message}`,
      file: entry.name,
      cause,
    });
  }
  return parseTfjsModelJson(json, entry.name);
}

/** Bytes a group's weights take; unknown dtypes and quantizations throw here, before any shard is opened. */
function groupByteLength(group: WeightsManifestGroup, file: string): number {
  let needed = 0;
  for (const entry of group.weights) needed += manifestWeightByteLength(entry, file);
  return needed;
}

/** Open every shard of a group, in order; a missing or escaping one is a typed error. */
async function openShards(
  files: CheckpointFiles,
  group: WeightsManifestGroup,
  file: string,
): Promise<ByteSource[]> {
  const sources: ByteSource[] = [];
  const firstWeight = group.weights[0]?.name;
  try {
    for (const path of group.paths) {
      try {
        sources.push(await files.open(path));
      } catch (error) {
        if (!CheckpointStoreError.isInstance(error)) throw error;
        const escapes = error.code === 'STORE_INVALID_NAME';
        throw new TfjsArtifactsError({
          code: escapes ? 'TFJS_ARTIFACT_PATH_ESCAPES' : 'TFJS_ARTIFACT_SHARD_MISSING',
          message: escapes
            ? `shard path ${JSON.stringify(path)} leaves the model folder (absolute paths and ".." are refused)`
            : `shard ${JSON.stringify(path)} cannot be opened: ${error.detail}`,
          file: escapes ? file : (error.file ?? path),
          tensor: firstWeight,
          cause: error,
        });
      }
    }
  } catch (error) {
    await closeAll(sources);
    throw error;
  }
  return sources;
}

/** The shards of a group must hold exactly its weights: name the first weight that does not fit. */
function checkShardSizes(
  group: WeightsManifestGroup,
  sources: readonly ByteSource[],
  needed: number,
  file: string,
): void {
  const sizes = sources.map((source) => source.size);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < needed) {
    let offset = 0;
    for (const entry of group.weights) {
      const length = manifestWeightByteLength(entry, file);
      if (offset + length > total) {
        const located = locate(offset, sizes);
        throw new TfjsArtifactsError({
          code: 'TFJS_ARTIFACT_SHARD_SHORT',
          message: `shards hold ${total} bytes, the weights need ${needed}; this weight needs bytes ${offset}..${offset + length} of the group`,
          file: sources[located.shard]?.name ?? file,
          tensor: entry.name,
          byteOffset: located.offset,
        });
      }
      offset += length;
    }
  }
  if (total > needed) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_SHARD_LONG',
      message: `shards hold ${total} bytes but the weights of this group take ${needed}`,
      file: sources.at(-1)?.name ?? file,
    });
  }
}

/** Which shard holds byte `offset` of a group, and where in it. */
function locate(offset: number, sizes: readonly number[]): { shard: number; offset: number } {
  let start = 0;
  for (const [shard, size] of sizes.entries()) {
    if (offset < start + size) return { shard, offset: offset - start };
    start += size;
  }
  return { shard: sizes.length - 1, offset: offset - (start - (sizes.at(-1) ?? 0)) };
}

/** One group's shards, read into one buffer of exactly the group's size. */
async function readGroup(
  files: CheckpointFiles,
  group: WeightsManifestGroup,
  needed: number,
  file: string,
  options: StoreReadOptions | undefined,
  onRead: (read: number) => void,
): Promise<Uint8Array> {
  const sources = await openShards(files, group, file);
  try {
    checkShardSizes(group, sources, needed, file);
    const bytes = new Uint8Array(needed);
    let offset = 0;
    for (const source of sources) {
      await source.read(0, source.size, {
        into: bytes.subarray(offset, offset + source.size),
        ...(options?.signal === undefined ? {} : { signal: options.signal }),
      });
      offset += source.size;
      onRead(offset);
    }
    return bytes;
  } finally {
    await closeAll(sources);
  }
}

async function closeAll(sources: readonly ByteSource[]): Promise<void> {
  for (const source of sources) await source.close().catch(() => undefined);
}

const decodedDtypes: Readonly<Record<string, Dtype>> = {
  float32: 'F32',
  int32: 'I32',
  bool: 'BOOL',
};

function summarize(
  modelJson: TfjsModelJson,
  names: TfjsArtifactsNames | undefined,
  file: string,
  files: readonly string[],
): CheckpointSummary {
  const structural = artifactWeightNames(modelJson, names, file);
  const tensors: TensorSummary[] = [];
  const originals: Record<string, string> = {};
  for (const group of modelJson.weightsManifest) {
    for (const entry of group.weights) {
      const dtype = decodedDtypes[entry.dtype]!; // groupByteLength refused every other dtype
      const name = structural.get(entry.name) ?? entry.name;
      originals[name] = entry.name;
      tensors.push({
        name,
        dtype,
        shape: [...entry.shape],
        byteLength: elementCount(entry.shape) * dtypeSize(dtype),
      });
    }
  }
  return {
    format: TFJS_ARTIFACTS_FORMAT,
    tensors,
    metadata: artifactMetadata(modelJson, originals),
    files,
  };
}
