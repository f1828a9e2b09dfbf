import type { ByteSource, Checkpoint, SafetensorsHeader } from '@reprokit/core';
import type { io } from '@tensorflow/tfjs';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { tfjsWeightNames } from '../artifacts/tfjs-weight-names.js';
import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { artifactsToCheckpoint } from './artifacts-to-checkpoint.js';
import { SafetensorsIOError } from './safetensors-io-error.js';
import { readModelHeader, readTensorBytes } from './safetensors-model-source.js';

/** Where a safetensors IOHandler loads from and saves to. */
export interface SafetensorsIOTarget {
  /** Names the file in errors. */
  readonly name: string;
  /** Opens the file to load; `close` is called when the load is done. */
  open(): Promise<{ source: ByteSource; close(): Promise<void> }>;
  /** Stores a saved model's checkpoint. */
  save(checkpoint: Checkpoint): Promise<void>;
}

const tfjsWeightDtypes: Partial<Record<string, 'float32' | 'int32' | 'bool'>> = {
  F32: 'float32',
  I32: 'int32',
  BOOL: 'bool',
};

/**
 * The tf.io `IOHandler` behind `safetensorsIO` (root and Node): `save` turns the artifacts
 * `model.save` hands over into a checkpoint with structural names and tfjs metadata, `load`
 * gives tfjs the topology, weight specs under tfjs' names, and the weights.
 */
export function safetensorsIOHandler(target: SafetensorsIOTarget): io.IOHandler {
  return {
    async save(artifacts) {
      const checkpoint = artifactsToCheckpoint(artifacts, target.name);
      await target.save(checkpoint);
      let weightDataBytes = 0;
      for (const tensor of checkpoint.tensors.values()) weightDataBytes += tensor.data.byteLength;
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes:
            checkpoint.metadata.get(TFJS_METADATA_KEYS.modelTopology)?.length ?? 0,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes,
        },
      };
    },
    async load() {
      const { source, close } = await target.open();
      try {
        return await loadArtifacts(source);
      } finally {
        await close();
      }
    },
  };
}

async function loadArtifacts(source: ByteSource): Promise<io.ModelArtifacts> {
  const file = source.name;
  const { header, modelTopology } = await readModelHeader(source);
  const metadata = header.metadata;
  const names = tfjsWeightNames(header.tensors.keys(), metadata, modelTopology);
  for (const [name, info] of header.tensors) {
    if (tfjsWeightDtypes[info.dtype] === undefined) {
      throw new SafetensorsIOError({
        code: 'TFJS_IO_UNSUPPORTED_DTYPE',
        message: `${info.dtype} cannot be loaded into tfjs as is (F32, I32 and BOOL can); load it with tfjsCheckpoint(tf).write(model, checkpoint, { cast: true })`,
        file,
        tensor: name,
      });
    }
  }
  // Model weights in file order; optimizer weights in the order the optimizer gave them
  // (its setWeights is positional), which is the order of the stored name map.
  const modelNames = [...header.tensors.keys()].filter(
    (name) => !name.startsWith(OPTIMIZER_PREFIX),
  );
  const optimizerNames = [...names.keys(), ...header.tensors.keys()].filter(
    (name, index, all) =>
      name.startsWith(OPTIMIZER_PREFIX) && header.tensors.has(name) && all.indexOf(name) === index,
  );
  const weightSpecs: io.WeightsManifestEntry[] = [];
  const spec = (name: string, group?: 'optimizer'): io.WeightsManifestEntry => {
    const info = header.tensors.get(name)!;
    const entry: io.WeightsManifestEntry = {
      name: names.get(name) ?? name,
      shape: [...info.shape],
      dtype: tfjsWeightDtypes[info.dtype]!,
    };
    return group === undefined ? entry : { ...entry, group };
  };
  for (const name of modelNames) weightSpecs.push(spec(name));
  for (const name of optimizerNames) weightSpecs.push(spec(name, 'optimizer'));
  // Weights are read straight from the source into equal-size chunks (tfjs' CompositeArrayBuffer
  // locates bytes by assuming every chunk but the last has the same size). tfjs copies each
  // weight out once more, so the peak is about twice the weights.
  const weightData = await readTensorsInChunks(source, header, [...modelNames, ...optimizerNames]);
  const artifacts: io.ModelArtifacts = {
    modelTopology: modelTopology as object,
    weightSpecs,
    weightData,
  };
  const trainingConfig = metadata.get(TFJS_METADATA_KEYS.trainingConfig);
  if (trainingConfig !== undefined) {
    artifacts.trainingConfig = parseMetadataJson(
      trainingConfig,
      TFJS_METADATA_KEYS.trainingConfig,
      file,
    ) as io.TrainingConfig;
  }
  artifacts.format = metadata.get(TFJS_METADATA_KEYS.format) ?? 'layers-model';
  const generatedBy = metadata.get(TFJS_METADATA_KEYS.generatedBy);
  if (generatedBy !== undefined) artifacts.generatedBy = generatedBy;
  artifacts.convertedBy = metadata.get(TFJS_METADATA_KEYS.convertedBy) ?? null;
  const userDefined = metadata.get(TFJS_METADATA_KEYS.userDefinedMetadata);
  if (userDefined !== undefined) {
    artifacts.userDefinedMetadata = parseMetadataJson(
      userDefined,
      TFJS_METADATA_KEYS.userDefinedMetadata,
      file,
    ) as Record<string, object>;
  }
  return artifacts;
}

/** Size of the buffers `load()` hands to tfjs. */
const CHUNK_SIZE = 16 * 1024 * 1024;

async function readTensorsInChunks(
  source: ByteSource,
  header: SafetensorsHeader,
  names: readonly string[],
): Promise<ArrayBuffer[]> {
  let total = 0;
  for (const name of names) {
    const info = header.tensors.get(name)!;
    total += info.end - info.begin;
  }
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < total; start += CHUNK_SIZE) {
    chunks.push(new Uint8Array(Math.min(CHUNK_SIZE, total - start)));
  }
  let offset = 0;
  for (const name of names) {
    const info = header.tensors.get(name)!;
    const length = info.end - info.begin;
    let done = 0;
    while (done < length) {
      const chunk = chunks[Math.floor((offset + done) / CHUNK_SIZE)]!;
      const within = (offset + done) % CHUNK_SIZE;
      const wanted = Math.min(length - done, chunk.byteLength - within);
      const position = header.dataStart + info.begin + done;
      await readTensorBytes(source, position, chunk.subarray(within, within + wanted), name);
      done += wanted;
    }
    offset += length;
  }
  return chunks.map((chunk) => chunk.buffer as ArrayBuffer);
}
