import {
  type AnyCheckpointStore,
  type ByteSource,
  detectCheckpointStore,
  safetensorsStore,
  shardedSafetensorsStore,
} from '@reprokit/core';
import { loadKerasAdapter, loadOnnxAdapter, loadTfjsAdapter } from './load-adapters.js';
import type { WeightsFormat } from './weights-format.js';

/** The store of each format the CLI knows. */
export async function storeFor(format: WeightsFormat): Promise<AnyCheckpointStore> {
  switch (format) {
    case 'safetensors':
      return safetensorsStore();
    case 'safetensors-sharded':
      return shardedSafetensorsStore();
    case 'tfjs-artifacts':
      return (await loadTfjsAdapter()).tfjsArtifactsStore();
    case 'onnx':
      return (await loadOnnxAdapter()).onnxStore();
    case 'keras':
      return (await loadKerasAdapter()).kerasStore();
  }
}

/**
 * The store that reads `entry`, told from its content (and name): core's two safetensors stores
 * first, without loading anything else; then Keras (the HDF5 signature or a zip), tfjs artifacts
 * (JSON) and ONNX (protobuf). None: `STORE_UNKNOWN_FORMAT`, naming what the file looks like.
 *
 * @example
 * const store = await detectInputStore(await fileSource('model.weights.h5')); // kerasStore()
 */
export async function detectInputStore(entry: ByteSource): Promise<AnyCheckpointStore> {
  const core = [shardedSafetensorsStore(), safetensorsStore()];
  try {
    return await detectCheckpointStore(entry, core);
  } catch {
    const others = await Promise.all(
      (['keras', 'tfjs-artifacts', 'onnx'] as const).map((format) => storeFor(format)),
    );
    return detectCheckpointStore(entry, [...core, ...others]);
  }
}
