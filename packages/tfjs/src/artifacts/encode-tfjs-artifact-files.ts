import {
  type Checkpoint,
  type CheckpointTensor,
  checkTensor,
  type EncodedCheckpoint,
  type EncodedFile,
  type EncodeOptions,
} from '@reprokit/core';
import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
import { tfjsWeightNames } from './tfjs-weight-names.js';
import type { WeightsManifestEntry } from './weights-manifest.js';

/** What a tfjs artifacts save can be told. */
export interface TfjsArtifactsWriteOptions {
  /** Shard size in bytes; default 4 MiB, as tensorflowjs_converter writes. */
  shardSize?: number;
  /**
   * The Keras-format topology (`model.toJSON(null, false)`), so that `tf.loadLayersModel` can
   * build the model; default: the checkpoint's `tfjs.modelTopology` metadata, if any.
   */
  modelTopology?: unknown;
}

/** The default shard size, 4 MiB, as tensorflowjs_converter writes. */
export const DEFAULT_SHARD_SIZE = 4 * 1024 * 1024;

const manifestDtypes: Partial<Record<string, string>> = {
  F32: 'float32',
  I32: 'int32',
  BOOL: 'bool',
};

/**
 * The files of a tfjs artifacts save, as `tfjsArtifactsStore().encode` gives them: shards of
 * `shardSize` bytes (the weights concatenated, then cut, without a copy of the weights) and a
 * `model.json` naming them. Everything is checked before anything is returned: only F32, I32 and
 * BOOL tensors can be written (`TFJS_ARTIFACT_UNSUPPORTED_DTYPE`).
 */
export function encodeTfjsArtifactFiles(
  checkpoint: Checkpoint,
  options: EncodeOptions & TfjsArtifactsWriteOptions,
): EncodedCheckpoint {
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BAD_OPTION',
      message: `shardSize must be a positive integer number of bytes, got ${shardSize}`,
    });
  }
  const entryName = options.entryName;
  if (entryName === '' || /[/\\]/.test(entryName)) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BAD_OPTION',
      message: `the model.json name must be a plain file name, got ${JSON.stringify(entryName)}`,
    });
  }
  const modelTopology =
    options.modelTopology ?? metadataJson(checkpoint, TFJS_METADATA_KEYS.modelTopology);
  const names = tfjsWeightNames(checkpoint.tensors.keys(), checkpoint.metadata, modelTopology);
  const weights: WeightsManifestEntry[] = [];
  const tensors: CheckpointTensor[] = [];
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
    checkTensor(tensor, name);
    const entry: WeightsManifestEntry = {
      name: names.get(name) ?? name,
      shape: [...tensor.shape],
      dtype,
    };
    weights.push(name.startsWith(OPTIMIZER_PREFIX) ? { ...entry, group: 'optimizer' } : entry);
    tensors.push(tensor);
    total += tensor.data.byteLength;
  }
  const modelJson: Record<string, unknown> = {
    format: checkpoint.metadata.get(TFJS_METADATA_KEYS.format) ?? 'layers-model',
    generatedBy: checkpoint.metadata.get(TFJS_METADATA_KEYS.generatedBy) ?? 'reprokit',
    convertedBy: checkpoint.metadata.get(TFJS_METADATA_KEYS.convertedBy) ?? 'reprokit',
  };
  if (modelTopology !== undefined) modelJson.modelTopology = modelTopology;
  const trainingConfig = metadataJson(checkpoint, TFJS_METADATA_KEYS.trainingConfig);
  if (trainingConfig !== undefined) modelJson.trainingConfig = trainingConfig;
  const userDefined = metadataJson(checkpoint, TFJS_METADATA_KEYS.userDefinedMetadata);
  if (userDefined !== undefined) modelJson.userDefinedMetadata = userDefined;

  // tensorflowjs_converter's names; another entry name in the same folder gets its own shards.
  const prefix = entryName === 'model.json' ? '' : `${entryName.replace(/\.json$/, '')}.`;
  const shards = cutIntoShards(tensors, shardSize, total);
  const dataFiles: EncodedFile[] = shards.map((chunks, index) => ({
    name: `${prefix}group1-shard${index + 1}of${shards.length}.bin`,
    chunks,
  }));
  return {
    dataFiles,
    entry(nameOf) {
      const paths = dataFiles.map((file) => nameOf(file.name));
      const text = JSON.stringify({ ...modelJson, weightsManifest: [{ paths, weights }] });
      return { name: entryName, chunks: [new TextEncoder().encode(text)] };
    },
  };
}

/**
 * Split the concatenation of every tensor's bytes into shards of `shardSize` bytes (the last
 * one shorter), as views of the tensors: nothing is copied. An empty checkpoint gets one empty
 * shard, as tfjs writes one.
 */
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

function metadataJson(checkpoint: Checkpoint, key: string): unknown {
  const text = checkpoint.metadata.get(key);
  return text === undefined ? undefined : parseMetadataJson(text, key);
}
