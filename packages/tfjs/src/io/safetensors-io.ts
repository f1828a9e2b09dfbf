import { open } from 'node:fs/promises';
import {
  type Checkpoint,
  openSafetensors,
  type SafetensorsFile,
  writeSafetensors,
} from '@reprokit/core';
import type { io } from '@tensorflow/tfjs';
import { decodeTfjsArtifacts } from '../artifacts/read-tfjs-artifacts.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { topologyLayerPaths } from '../checkpoint/topology-weight-names.js';
import { SafetensorsIOError } from './safetensors-io-error.js';

const tfjsWeightDtypes: Partial<Record<string, 'float32' | 'int32' | 'bool'>> = {
  F32: 'float32',
  I32: 'int32',
  BOOL: 'bool',
};

/**
 * A tf.io `IOHandler` for one safetensors file. `model.save(safetensorsIO(path))` writes the
 * weights under reprokit's structural names (the same names `tfjsCheckpoint().read(model)` gives,
 * so both files have the same fingerprint) and the topology, training config, format fields and
 * the tfjs weight names in `__metadata__` (keys: `TFJS_METADATA_KEYS`); optimizer weights
 * (`includeOptimizer: true`) go under `optimizer/`. The write is atomic.
 * `tf.loadLayersModel(safetensorsIO(path))` loads it back; a file without a topology throws
 * `TFJS_IO_NO_TOPOLOGY`. For large models `loadLayersModelFromSafetensors` is faster.
 *
 * @example
 * await model.save(safetensorsIO('model.safetensors'));
 * const again = await tf.loadLayersModel(safetensorsIO('model.safetensors'));
 */
export function safetensorsIO(path: string): io.IOHandler {
  return {
    async save(artifacts) {
      const checkpoint = artifactsToCheckpoint(artifacts, path);
      await writeSafetensors(checkpoint, path);
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
      const file = await openSafetensors(path).catch((error: unknown) => {
        throw new SafetensorsIOError({
          code: 'TFJS_IO_CANNOT_OPEN',
          message: `cannot open the safetensors file: ${(error as Error).message}`,
          file: path,
          cause: error,
        });
      });
      let header: SafetensorsFile['header'];
      try {
        header = file.header;
      } finally {
        await file.close();
      }
      const metadata = header.metadata;
      const topologyText = metadata.get(TFJS_METADATA_KEYS.modelTopology);
      if (topologyText === undefined) {
        throw new SafetensorsIOError({
          code: 'TFJS_IO_NO_TOPOLOGY',
          message: `the file has no "${TFJS_METADATA_KEYS.modelTopology}" in __metadata__, so tf.loadLayersModel cannot build a model from it; load its weights into a model you build with tfjsCheckpoint().write(model, await readSafetensors(path))`,
          file: path,
        });
      }
      const modelTopology = parseJson(topologyText, TFJS_METADATA_KEYS.modelTopology, path);
      const names = tfjsWeightNames(metadata, modelTopology, header.tensors.keys());
      for (const [name, info] of header.tensors) {
        if (tfjsWeightDtypes[info.dtype] === undefined) {
          throw new SafetensorsIOError({
            code: 'TFJS_IO_UNSUPPORTED_DTYPE',
            message: `${info.dtype} cannot be loaded into tfjs as is (F32, I32 and BOOL can); load it with tfjsCheckpoint().write(model, checkpoint, { cast: true })`,
            file: path,
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
          name.startsWith(OPTIMIZER_PREFIX) &&
          header.tensors.has(name) &&
          all.indexOf(name) === index,
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
      // Weights are read straight from the file into equal-size chunks (tfjs' CompositeArrayBuffer
      // locates bytes by assuming every chunk but the last has the same size). tfjs copies each
      // weight out once more, so the peak is about twice the weights.
      const weightData = await readTensorsInChunks(path, header, [
        ...modelNames,
        ...optimizerNames,
      ]);
      const artifacts: io.ModelArtifacts = {
        modelTopology: modelTopology as object,
        weightSpecs,
        weightData,
      };
      const trainingConfig = metadata.get(TFJS_METADATA_KEYS.trainingConfig);
      if (trainingConfig !== undefined) {
        artifacts.trainingConfig = parseJson(
          trainingConfig,
          TFJS_METADATA_KEYS.trainingConfig,
          path,
        ) as io.TrainingConfig;
      }
      artifacts.format = metadata.get(TFJS_METADATA_KEYS.format) ?? 'layers-model';
      const generatedBy = metadata.get(TFJS_METADATA_KEYS.generatedBy);
      if (generatedBy !== undefined) artifacts.generatedBy = generatedBy;
      artifacts.convertedBy = metadata.get(TFJS_METADATA_KEYS.convertedBy) ?? null;
      const userDefined = metadata.get(TFJS_METADATA_KEYS.userDefinedMetadata);
      if (userDefined !== undefined) {
        artifacts.userDefinedMetadata = parseJson(
          userDefined,
          TFJS_METADATA_KEYS.userDefinedMetadata,
          path,
        ) as Record<string, object>;
      }
      return artifacts;
    },
  };
}

/**
 * Convert tfjs `ModelArtifacts` (what `model.save` hands an IOHandler) into a Checkpoint with
 * structural names and tfjs metadata, without copying weight bytes where they sit in one buffer.
 *
 * @example
 * const checkpoint = artifactsToCheckpoint(artifacts, 'model.safetensors');
 */
export function artifactsToCheckpoint(
  artifacts: io.ModelArtifacts,
  file = '<artifacts>',
): Checkpoint {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_UNSUPPORTED_TOPOLOGY',
      message: 'binary (GraphDef) topologies cannot be saved; only layers models',
      file,
    });
  }
  const specs = artifacts.weightSpecs ?? [];
  const data = artifacts.weightData;
  const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
  const bytes =
    buffers.length === 1
      ? new Uint8Array(buffers[0]!)
      : concatBuffers(buffers.map((buffer) => new Uint8Array(buffer)));
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    trainingConfig: artifacts.trainingConfig,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    weightsManifest: [{ paths: [], weights: specs }],
  };
  return decodeTfjsArtifacts(modelJson, [bytes], { file, copy: false });
}

function concatBuffers(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Tfjs weight names for a file's tensors: the stored `tfjs.weightNames`, else mapped from
 * structural names through the topology's layer names.
 */
export function tfjsWeightNames(
  metadata: ReadonlyMap<string, string>,
  modelTopology: unknown,
  tensorNames: Iterable<string>,
): Map<string, string> {
  const stored = metadata.get(TFJS_METADATA_KEYS.weightNames);
  if (stored !== undefined) {
    return new Map(
      Object.entries(
        parseJson(stored, TFJS_METADATA_KEYS.weightNames, '<metadata>') as Record<string, string>,
      ),
    );
  }
  const byPath = new Map<string, string>();
  for (const [layer, path] of topologyLayerPaths(modelTopology))
    if (path !== null) byPath.set(path, layer);
  const paths = [...byPath.keys()].sort((a, b) => b.length - a.length);
  const names = new Map<string, string>();
  for (const name of tensorNames) {
    const bare = name.startsWith(OPTIMIZER_PREFIX) ? name.slice(OPTIMIZER_PREFIX.length) : name;
    const path = paths.find((candidate) => bare.startsWith(`${candidate}/`));
    names.set(name, path === undefined ? bare : `${byPath.get(path)!}${bare.slice(path.length)}`);
  }
  return names;
}

function parseJson(text: string, key: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_BAD_METADATA',
      message: `__metadata__ "${key}" is not valid JSON`,
      file,
      cause: error,
    });
  }
}

/** Size of the buffers `load()` hands to tfjs. */
const CHUNK_SIZE = 16 * 1024 * 1024;

async function readTensorsInChunks(
  path: string,
  header: SafetensorsFile['header'],
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
  const handle = await open(path, 'r');
  try {
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
        const { bytesRead } = await handle.read(chunk, within, wanted, position);
        if (bytesRead === 0) {
          throw new SafetensorsIOError({
            code: 'TFJS_IO_TRUNCATED',
            message: `file ended after ${done} of ${length} bytes of this tensor`,
            file: path,
            tensor: name,
            byteOffset: position,
          });
        }
        done += bytesRead;
      }
      offset += length;
    }
  } finally {
    await handle.close();
  }
  return chunks.map((chunk) => chunk.buffer as ArrayBuffer);
}
