import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Checkpoint,
  type CheckpointTensor,
  ReprokitError,
  writeFileAtomic,
} from '@reprokit/core';
import { topologyLayerPaths } from '../checkpoint/topology-weight-names.js';
import {
  readReplacedShards,
  removeReplacedShards,
  removeShards,
  shardExists,
} from './replaced-shards.js';
import { removeDeadSaves, SaveJournal } from './save-journal.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
import type { WeightsManifestEntry } from './weights-manifest.js';

export interface WriteTfjsArtifactsOptions {
  /** Shard size in bytes; default 4 MiB, as tensorflowjs_converter writes. */
  shardSize?: number;
  /** The Keras-format topology; default: the checkpoint's `tfjs.modelTopology` metadata. */
  modelTopology?: unknown;
  /** Checkpoint name -> tfjs weight name; default: `tfjs.weightNames` metadata, else derived from the topology. */
  weightNames?: ReadonlyMap<string, string>;
}

const manifestDtypes: Partial<Record<string, string>> = {
  F32: 'float32',
  I32: 'int32',
  BOOL: 'bool',
};

/**
 * Write a Checkpoint as TensorFlow.js artifacts in `folder`: `model.json` plus shard files of
 * `shardSize` bytes (weights concatenated, then cut, as tensorflowjs_converter does). With a
 * topology, `tf.loadLayersModel` loads the result; weights are stored under the names tfjs
 * gives them (`tfjs.weightNames` metadata, else mapped from structural names through the
 * topology). Only F32, I32 and BOOL tensors can be written (`TFJS_ARTIFACT_UNSUPPORTED_DTYPE`).
 *
 * Crash-safe over an earlier save: `model.json` is the commit point, written last and
 * atomically, and a save never overwrites an existing file. Shards are named
 * `group1-shard<i>of<n>.bin` when that name is free, else `group1-shard<i>of<n>.<token>.bin`
 * (8 hex digits, one token per save), each created exclusively and fsynced before
 * `model.json` is replaced. Then the shards the replaced `model.json` listed and the new one
 * does not are deleted. A save killed at any moment leaves the old or the new model readable,
 * never a mix; two saves at once leave one of the two, complete. A save that fails removes
 * the shards it wrote.
 *
 * @example
 * await writeTfjsArtifacts(await tfjsCheckpoint().read(model), 'web_model', { modelTopology: model.toJSON(null, false) });
 */
export async function writeTfjsArtifacts(
  checkpoint: Checkpoint,
  folder: string,
  options: WriteTfjsArtifactsOptions = {},
): Promise<string> {
  const shardSize = options.shardSize ?? 4 * 1024 * 1024;
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BAD_OPTION',
      message: `shardSize must be a positive integer, got ${shardSize}`,
    });
  }
  const topologyText = checkpoint.metadata.get(TFJS_METADATA_KEYS.modelTopology);
  const modelTopology =
    options.modelTopology ?? (topologyText === undefined ? undefined : JSON.parse(topologyText));
  const names = tfjsNames(checkpoint, modelTopology, options.weightNames);
  const weights: WeightsManifestEntry[] = [];
  const chunks: CheckpointTensor[] = [];
  let total = 0;
  for (const [name, tensor] of checkpoint.tensors) {
    const dtype = manifestDtypes[tensor.dtype];
    if (dtype === undefined) {
      throw new TfjsArtifactsError({
        code: 'TFJS_ARTIFACT_UNSUPPORTED_DTYPE',
        message: `${tensor.dtype} has no tfjs weight dtype (F32, I32 and BOOL can be written); convert it first`,
        tensor: name,
      });
    }
    const entry: WeightsManifestEntry = {
      name: names.get(name) ?? name,
      shape: [...tensor.shape],
      dtype,
    };
    weights.push(name.startsWith(OPTIMIZER_PREFIX) ? { ...entry, group: 'optimizer' } : entry);
    chunks.push(tensor);
    total += tensor.data.byteLength;
  }
  // Everything that can fail on bad input fails before the first shard is written.
  const modelJson: Record<string, unknown> = {
    format: checkpoint.metadata.get(TFJS_METADATA_KEYS.format) ?? 'layers-model',
    generatedBy: checkpoint.metadata.get(TFJS_METADATA_KEYS.generatedBy) ?? 'reprokit',
    convertedBy: checkpoint.metadata.get(TFJS_METADATA_KEYS.convertedBy) ?? 'reprokit',
  };
  if (modelTopology !== undefined) modelJson.modelTopology = modelTopology;
  const trainingConfig = checkpoint.metadata.get(TFJS_METADATA_KEYS.trainingConfig);
  if (trainingConfig !== undefined) modelJson.trainingConfig = JSON.parse(trainingConfig);
  const userDefined = checkpoint.metadata.get(TFJS_METADATA_KEYS.userDefinedMetadata);
  if (userDefined !== undefined) modelJson.userDefinedMetadata = JSON.parse(userDefined);
  const shardCount = Math.max(1, Math.ceil(total / shardSize));
  await mkdir(folder, { recursive: true });
  const modelJsonPath = join(folder, 'model.json');
  // Read before any shard is written: these are the files the save may delete at the end.
  const replaced = await readReplacedShards(modelJsonPath);
  await removeDeadSaves(folder);
  const token = randomBytes(4).toString('hex');
  const journal = await startJournal(folder, token);
  const shards = cutIntoShards(chunks, shardSize, total);
  const paths: string[] = [];
  const fail = async (error: unknown): Promise<never> => {
    await removeShards(folder, paths);
    await journal.end();
    throw error;
  };
  try {
    for (let index = 0; index < shardCount; index++) {
      paths.push(
        await writeNewShard(folder, index, shardCount, token, shards[index] ?? [], journal),
      );
    }
  } catch (error) {
    await fail(error);
  }
  modelJson.weightsManifest = [{ paths, weights }];
  // A save that committed since we started has its shards listed there now: ours replaces
  // its model.json, so they go too (else a race would leave the loser's shards forever).
  const superseded = new Map([...replaced, ...(await readReplacedShards(modelJsonPath))]);
  const modelJsonText = JSON.stringify(modelJson);
  try {
    await writeFileAtomic(modelJsonPath, new TextEncoder().encode(modelJsonText));
  } catch (error) {
    await fail(error);
  }
  await removeReplacedShards(folder, superseded, new Set(paths));
  // A save racing ours may have replaced our model.json already; only it listed our shards.
  if ((await readFile(modelJsonPath, 'utf8').catch(() => modelJsonText)) !== modelJsonText) {
    await removeShards(folder, paths);
  }
  await journal.end();
  return modelJsonPath;
}

async function startJournal(folder: string, token: string): Promise<SaveJournal> {
  try {
    return await SaveJournal.start(folder, token);
  } catch (cause) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_WRITE_FAILED',
      message: `cannot start the save: ${(cause as Error).message}`,
      file: folder,
      cause,
    });
  }
}

/**
 * Write one shard under a name no other file has: the converter's name if free, else the
 * same name with this save's token. Exclusive creation means a shard another save (or the
 * current `model.json`) uses is never replaced, even when two saves race for a free name.
 */
async function writeNewShard(
  folder: string,
  index: number,
  count: number,
  token: string,
  data: readonly Uint8Array[],
  journal: SaveJournal,
): Promise<string> {
  const plain = `group1-shard${index + 1}of${count}.bin`;
  const tokened = `group1-shard${index + 1}of${count}.${token}.bin`;
  if (!(await shardExists(join(folder, plain)))) {
    try {
      await writeFileAtomic(join(folder, plain), data, {
        overwrite: false,
        beforeCommit: (temporary) => journal.record(plain, temporary),
      });
      return plain;
    } catch (error) {
      if (!ReprokitError.isInstance(error) || error.code !== 'IO_TARGET_EXISTS') throw error;
      // Another save took the name between the check and the link: use the token.
    }
  }
  await writeFileAtomic(join(folder, tokened), data, {
    overwrite: false,
    beforeCommit: (temporary) => journal.record(tokened, temporary),
  });
  return tokened;
}

/** Split the concatenation of every tensor's bytes into shards, without copying it whole. */
function cutIntoShards(
  tensors: readonly CheckpointTensor[],
  shardSize: number,
  total: number,
): Uint8Array[][] {
  const shards: Uint8Array[][] = [[]];
  let room = Math.min(shardSize, total);
  let written = 0;
  for (const tensor of tensors) {
    let data = tensor.data;
    while (data.byteLength > 0) {
      if (room === 0) {
        shards.push([]);
        room = Math.min(shardSize, total - written);
      }
      const piece = data.subarray(0, room);
      shards[shards.length - 1]!.push(piece);
      room -= piece.byteLength;
      written += piece.byteLength;
      data = data.subarray(piece.byteLength);
    }
  }
  return shards;
}

function tfjsNames(
  checkpoint: Checkpoint,
  modelTopology: unknown,
  given: ReadonlyMap<string, string> | undefined,
): Map<string, string> {
  if (given !== undefined) return new Map(given);
  const stored = checkpoint.metadata.get(TFJS_METADATA_KEYS.weightNames);
  if (stored !== undefined)
    return new Map(Object.entries(JSON.parse(stored) as Record<string, string>));
  const names = new Map<string, string>();
  if (modelTopology === undefined) return names;
  // Structural layer path -> tfjs layer name; the longest matching path wins.
  const byPath = new Map<string, string>();
  for (const [layer, path] of topologyLayerPaths(modelTopology))
    if (path !== null) byPath.set(path, layer);
  const paths = [...byPath.keys()].sort((a, b) => b.length - a.length);
  for (const name of checkpoint.tensors.keys()) {
    const bare = name.startsWith(OPTIMIZER_PREFIX) ? name.slice(OPTIMIZER_PREFIX.length) : name;
    const path = paths.find((candidate) => bare.startsWith(`${candidate}/`));
    if (path !== undefined) names.set(name, `${byPath.get(path)!}${bare.slice(path.length)}`);
    else if (bare !== name) names.set(name, bare);
  }
  return names;
}
