import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  ReprokitError,
} from '@reprokit/core';
import { topologyWeightNames } from '../checkpoint/topology-weight-names.js';
import { decodeManifestWeight, manifestWeightByteLength } from './decode-manifest-weight.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
import {
  parseTfjsModelJson,
  type TfjsModelJson,
  type WeightsManifestGroup,
} from './weights-manifest.js';

export interface ReadTfjsArtifactsOptions {
  /**
   * `'structural'` (default when the file has a model topology): weights are named by the
   * model's structure, as `checkpointWeightNames` names them (`dense/kernel`); optimizer weights
   * get the `optimizer/` prefix. `'tfjs'`: names as the manifest has them.
   */
  names?: 'structural' | 'tfjs';
}

/**
 * Read TensorFlow.js artifacts into a Checkpoint: a `model.json` (with `weightsManifest`) or a
 * bare weights-manifest JSON array, plus the shard files it lists (paths relative to the JSON
 * file; `../` and absolute paths are refused). Groups are read one at a time, their shards
 * concatenated, then split by weight in manifest order; quantized weights are dequantized exactly
 * as `tf.io.decodeWeights` does. Topology, training config and format fields go to metadata
 * (`TFJS_METADATA_KEYS`). Needs no tfjs runtime.
 *
 * @example
 * const checkpoint = await readTfjsArtifacts('web_model/model.json');
 * checkpoint.tensors.get('dense/kernel'); // { dtype: 'F32', shape: [784, 32], data }
 */
export async function readTfjsArtifacts(
  path: string,
  options: ReadTfjsArtifactsOptions = {},
): Promise<Checkpoint> {
  // A save that commits between our reading model.json and its shards deletes the shards we
  // were about to read: if model.json changed meanwhile, read the new one instead.
  for (let attempt = 1; ; attempt++) {
    const text = await readManifestText(path);
    try {
      return await readArtifactsFrom(text, path, options);
    } catch (error) {
      const retry =
        attempt < 3 &&
        ReprokitError.isInstance(error) &&
        error.code === 'TFJS_ARTIFACT_SHARD_MISSING' &&
        (await readManifestText(path).catch(() => text)) !== text;
      if (!retry) throw error;
    }
  }
}

async function readManifestText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new TfjsArtifactsError({
      code:
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'TFJS_ARTIFACT_NOT_FOUND'
          : 'TFJS_ARTIFACT_BAD_MANIFEST',
      message: `cannot read the manifest: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
}

async function readArtifactsFrom(
  text: string,
  path: string,
  options: ReadTfjsArtifactsOptions,
): Promise<Checkpoint> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BAD_MANIFEST',
      message: `cannot read the manifest: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
  const modelJson = parseTfjsModelJson(json, path);
  const folder = dirname(path);
  const groups: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest) {
    groups.push(await readGroup(group, folder, path));
  }
  return decodeTfjsArtifacts(modelJson, groups, { ...options, file: path, copy: false });
}

/**
 * The in-memory half of `readTfjsArtifacts`: decode a parsed `model.json` (or manifest array)
 * given each group's concatenated shard bytes, in manifest order.
 *
 * @example
 * decodeTfjsArtifacts(JSON.parse(modelJsonText), [concatenatedGroup1Bytes]);
 */
export function decodeTfjsArtifacts(
  modelJson: TfjsModelJson | unknown,
  groupBytes: readonly Uint8Array[],
  options: ReadTfjsArtifactsOptions & { file?: string; copy?: boolean } = {},
): Checkpoint {
  const file = options.file ?? 'model.json';
  const parsed = isParsed(modelJson) ? modelJson : parseTfjsModelJson(modelJson, file);
  const names = artifactWeightNames(parsed, options.names, file);
  const tensors: Array<[string, CheckpointTensor]> = [];
  const originals: Record<string, string> = {};
  parsed.weightsManifest.forEach((group, groupIndex) => {
    const bytes = groupBytes[groupIndex];
    if (bytes === undefined) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_SHARD_MISSING',
        message: `no data for weight group ${groupIndex}`,
        file,
        tensor: group.weights[0]?.name,
      });
    }
    let offset = 0;
    for (const entry of group.weights) {
      const length = manifestWeightByteLength(entry, file);
      if (offset + length > bytes.byteLength) {
        throw new TfjsArtifactsError({
          code: 'TFJS_ARTIFACT_SHARD_SHORT',
          message: `group ${groupIndex} has ${bytes.byteLength} bytes; this weight needs bytes ${offset}..${offset + length}`,
          file: group.paths.join(', ') || file,
          tensor: entry.name,
        });
      }
      const tensor = decodeManifestWeight(entry, bytes.subarray(offset, offset + length), file, {
        copy: options.copy,
      });
      const name = names.get(entry.name) ?? entry.name;
      tensors.push([name, tensor]);
      originals[name] = entry.name;
      offset += length;
    }
    if (offset !== bytes.byteLength) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_SHARD_LONG',
        message: `group ${groupIndex} has ${bytes.byteLength} bytes but its weights take ${offset}`,
        file: group.paths.join(', ') || file,
      });
    }
  });
  const seen = new Set<string>();
  for (const [name] of tensors) {
    if (seen.has(name)) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_DUPLICATE_WEIGHT',
        message: 'the manifest lists this weight twice',
        file,
        tensor: name,
      });
    }
    seen.add(name);
  }
  return createCheckpoint(tensors, artifactMetadata(parsed, originals));
}

function isParsed(value: unknown): value is TfjsModelJson {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as { weightsManifest?: unknown }).weightsManifest) &&
    (value as TfjsModelJson).weightsManifest.every((group) => Array.isArray(group?.weights))
  );
}

/** Checkpoint names for every manifest weight (structural unless `mode` is `'tfjs'` or there is no topology). */
export function artifactWeightNames(
  modelJson: TfjsModelJson,
  mode: ReadTfjsArtifactsOptions['names'],
  file: string,
): Map<string, string> {
  if (
    mode === 'tfjs' ||
    modelJson.modelTopology === undefined ||
    modelJson.modelTopology === null
  ) {
    return new Map();
  }
  const modelWeights: string[] = [];
  const optimizerWeights: string[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const entry of group.weights) {
      (entry.group === 'optimizer' ? optimizerWeights : modelWeights).push(entry.name);
    }
  }
  const names = topologyWeightNames(modelJson.modelTopology, modelWeights, file);
  for (const name of optimizerWeights) {
    let structural = name;
    try {
      structural = topologyWeightNames(modelJson.modelTopology, [name], file).get(name) ?? name;
    } catch {
      // `iter` and other optimizer-wide state belong to no layer: keep the tfjs name.
    }
    names.set(name, `${OPTIMIZER_PREFIX}${structural}`);
  }
  return names;
}

/** The checkpoint metadata for a model.json's non-weight fields (see `TFJS_METADATA_KEYS`). */
export function artifactMetadata(
  modelJson: TfjsModelJson,
  originals: Record<string, string>,
): Map<string, string> {
  const metadata = new Map<string, string>();
  const json = (key: string, value: unknown) => {
    if (value !== undefined && value !== null) metadata.set(key, JSON.stringify(value));
  };
  json(TFJS_METADATA_KEYS.modelTopology, modelJson.modelTopology);
  json(TFJS_METADATA_KEYS.trainingConfig, modelJson.trainingConfig);
  if (modelJson.format !== undefined) metadata.set(TFJS_METADATA_KEYS.format, modelJson.format);
  if (modelJson.generatedBy !== undefined)
    metadata.set(TFJS_METADATA_KEYS.generatedBy, modelJson.generatedBy);
  if (typeof modelJson.convertedBy === 'string')
    metadata.set(TFJS_METADATA_KEYS.convertedBy, modelJson.convertedBy);
  json(TFJS_METADATA_KEYS.userDefinedMetadata, modelJson.userDefinedMetadata);
  metadata.set(TFJS_METADATA_KEYS.weightNames, JSON.stringify(originals));
  return metadata;
}

/** Resolve a manifest path inside `folder`, refusing absolute paths and `..` escapes. */
export function resolveShardPath(
  folder: string,
  path: string,
  manifest: string,
  tensor?: string,
): string {
  const escapes =
    isAbsolute(path) ||
    /^[a-zA-Z]:/.test(path) ||
    path.startsWith('\\') ||
    path.split(/[\\/]/).includes('..');
  const base = resolve(folder);
  const target = resolve(base, path);
  if (escapes || !(target.startsWith(base + sep) || target === base)) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_PATH_ESCAPES',
      message: `shard path "${path}" leaves the model folder (absolute paths and ".." are refused)`,
      file: manifest,
      tensor,
    });
  }
  return join(base, path);
}

async function readGroup(
  group: WeightsManifestGroup,
  folder: string,
  manifest: string,
): Promise<Uint8Array> {
  let needed = 0;
  for (const entry of group.weights) needed += manifestWeightByteLength(entry, manifest);
  const firstWeight = group.weights[0]?.name;
  const files = group.paths.map((path) => resolveShardPath(folder, path, manifest, firstWeight));
  const sizes: number[] = [];
  for (const file of files) {
    try {
      sizes.push((await stat(file)).size);
    } catch (error) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_SHARD_MISSING',
        message: `shard file cannot be read: ${(error as Error).message}`,
        file,
        tensor: firstWeight,
        cause: error,
      });
    }
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < needed) {
    // Name the first weight that does not fit, and where in which shard it starts.
    let offset = 0;
    for (const entry of group.weights) {
      const length = manifestWeightByteLength(entry, manifest);
      if (offset + length > total) {
        const located = locate(offset, sizes);
        throw new TfjsArtifactsError({
          code: 'TFJS_ARTIFACT_SHARD_SHORT',
          message: `shards hold ${total} bytes, the weights need ${needed}; this weight needs bytes ${offset}..${offset + length} of the group`,
          file: files[located.shard] ?? files[files.length - 1],
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
      file: files[files.length - 1],
    });
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const [index, file] of files.entries()) {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_SHARD_MISSING',
        message: `shard file cannot be read: ${(error as Error).message}`,
        file,
        tensor: firstWeight,
        cause: error,
      });
    }
    try {
      let done = 0;
      const size = sizes[index]!;
      while (done < size) {
        const { bytesRead } = await handle.read(bytes, offset + done, size - done, done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      if (done !== size) {
        throw new TfjsArtifactsError({
          code: 'TFJS_ARTIFACT_SHARD_SHORT',
          message: `shard ended after ${done} of ${size} bytes while reading`,
          file,
          byteOffset: done,
        });
      }
    } finally {
      await handle.close();
    }
    offset += sizes[index]!;
  }
  return bytes;
}

function locate(offset: number, sizes: readonly number[]): { shard: number; offset: number } {
  let start = 0;
  for (const [shard, size] of sizes.entries()) {
    if (offset < start + size) return { shard, offset: offset - start };
    start += size;
  }
  return { shard: sizes.length - 1, offset: offset - (start - (sizes[sizes.length - 1] ?? 0)) };
}
