import type { Checkpoint } from '@reprokit/core';
import type { io } from '@tensorflow/tfjs';
import { decodeTfjsArtifacts } from '../artifacts/decode-tfjs-artifacts.js';
import { SafetensorsIOError } from './safetensors-io-error.js';

/**
 * Convert tfjs `ModelArtifacts` (what `model.save` hands an IOHandler) into a Checkpoint with
 * structural names and tfjs metadata, without copying weight bytes where they sit in one buffer.
 *
 * @example
 * const checkpoint = artifactsToCheckpoint(artifacts, 'model.safetensors'); // in an IOHandler's save
 */
export function artifactsToCheckpoint(artifacts: io.ModelArtifacts, file: string): Checkpoint {
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
