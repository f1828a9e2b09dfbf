import { type Checkpoint, type CheckpointTensor, createCheckpoint } from '@reprokit/core';
import { topologyWeightNames } from '../checkpoint/topology-weight-names.js';
import { decodeManifestWeight, manifestWeightByteLength } from './decode-manifest-weight.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';
import { parseTfjsModelJson, type TfjsModelJson } from './weights-manifest.js';

/**
 * How weights are named in the checkpoint read from artifacts. `'structural'` (the default when
 * the `model.json` has a topology): by the model's structure, as `checkpointWeightNames` names
 * them (`dense/kernel`), optimizer weights under `optimizer/`. `'tfjs'`: as the manifest has them.
 */
export type TfjsArtifactsNames = 'structural' | 'tfjs';

export interface DecodeTfjsArtifactsOptions {
  /** See `TfjsArtifactsNames`; default `'structural'`. */
  names?: TfjsArtifactsNames;
  /** Names the `model.json` in errors; default `model.json`. */
  file?: string;
  /** Default `true`: tensors get their own bytes. `false`: views of `groupBytes` where unquantized. */
  copy?: boolean;
}

/**
 * Decode TensorFlow.js artifacts held in memory: a parsed `model.json` (or bare weights-manifest
 * array) and each weight group's bytes (its shards concatenated), in manifest order. Quantized
 * weights are dequantized exactly as `tf.io.decodeWeights` does; names are structural when the
 * `model.json` has a topology. To read the files themselves (a folder, dropped files, bytes by
 * name), use `tfjsArtifactsStore()` with `readCheckpoint`.
 *
 * @example
 * const checkpoint = decodeTfjsArtifacts(JSON.parse(modelJsonText), [group1Bytes]);
 * checkpoint.tensors.get('dense/kernel'); // { dtype: 'F32', shape: [784, 32], data }
 */
export function decodeTfjsArtifacts(
  modelJson: unknown,
  groupBytes: readonly Uint8Array[],
  options: DecodeTfjsArtifactsOptions = {},
): Checkpoint {
  const file = options.file ?? 'model.json';
  const parsed = parseTfjsModelJson(modelJson, file);
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

/** Checkpoint names for every manifest weight (structural unless `mode` is `'tfjs'` or there is no topology). */
export function artifactWeightNames(
  modelJson: TfjsModelJson,
  mode: TfjsArtifactsNames | undefined,
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
