import { fingerprint, readSafetensors } from '@reprokit/core';
import type * as tfTypes from '@tensorflow/tfjs';
import type * as ortTypes from 'onnxruntime-web/wasm';
import { onnxRuntimeModel } from './onnx-runtime-model.js';
import type { RuntimeModel } from './runtime-result.js';
import { tfjsRuntimeModel } from './tfjs-runtime-model.js';

/** A checkpoint loaded into all three runtimes. */
export interface LoadedCheckpoint {
  readonly name: string;
  /** `fingerprint()` of its tensors: what `reprokit fingerprint` prints for the file in Node. */
  readonly fingerprint: string;
  readonly byteLength: number;
  readonly models: readonly RuntimeModel[];
  dispose(): Promise<void>;
}

export interface ModelGraphs {
  /** The Keras topology (`model.json`) the tfjs models are built from. */
  readonly topology: Parameters<(typeof tfTypes)['models']['modelFromJSON']>[0]['modelTopology'];
  /** The ONNX graph (`model.onnx`); its initializers are external data in the safetensors file. */
  readonly graph: Uint8Array;
}

/**
 * Decode `bytes` as safetensors and load them into tfjs webgl, tfjs wasm and onnxruntime-web.
 * All or nothing: bad bytes throw `SafetensorsError`, a checkpoint of another model throws
 * `CheckpointMismatchError` (from the strict tfjs write) or an ONNX error, and whatever was
 * already loaded is disposed, so the caller can keep using the previous checkpoint.
 */
export async function loadCheckpoint(
  runtimes: { tf: typeof tfTypes; ort: typeof ortTypes },
  graphs: ModelGraphs,
  name: string,
  bytes: Uint8Array,
): Promise<LoadedCheckpoint> {
  const checkpoint = await readSafetensors(bytes);
  const digest = fingerprint(checkpoint);
  const models: RuntimeModel[] = [];
  try {
    models.push(await tfjsRuntimeModel(runtimes.tf, 'webgl', graphs.topology, checkpoint));
    models.push(await tfjsRuntimeModel(runtimes.tf, 'wasm', graphs.topology, checkpoint));
    models.push(await onnxRuntimeModel(runtimes.ort, graphs.graph, bytes));
  } catch (error) {
    await Promise.all(models.map((model) => model.dispose()));
    throw error;
  }
  return {
    name,
    fingerprint: digest,
    byteLength: bytes.byteLength,
    models,
    async dispose() {
      await Promise.all(models.map((model) => model.dispose()));
    },
  };
}
