import type { CheckpointFiles } from '@reprokit/core';
import { folderFiles } from '@reprokit/core/node';
import type { LayersModel } from '@tensorflow/tfjs';
import {
  type LoadFromSafetensorsOptions,
  type LoadLayersModelInput,
  loadLayersModelFromSafetensors as loadFromInput,
  loadLayersModelFromFiles,
  singleFileFiles,
} from '../io/load-layers-model-from-safetensors.js';
import { SafetensorsIOError } from '../io/safetensors-io-error.js';
import { isShardedIndexName } from '../io/stored-weights.js';
import type { TfjsModule } from '../tfjs-module.js';
import { openFileForIO } from './open-file-for-io.js';

/**
 * `loadLayersModelFromSafetensors` of the root entry, plus paths: a `.safetensors` file or a
 * sharded checkpoint's `model.safetensors.index.json` (its shards beside it). The weights are
 * read layer by layer straight into the buffers the model keeps (no zero fill, no second
 * copy), so the load takes about as long as reading the files and its peak memory is the
 * weights plus one layer.
 *
 * @example
 * const model = await loadLayersModelFromSafetensors(tf, 'model.safetensors');
 * const big = await loadLayersModelFromSafetensors(tf, 'llm/model.safetensors.index.json');
 */
export async function loadLayersModelFromSafetensors(
  tf: TfjsModule,
  input: string | LoadLayersModelInput,
  options: LoadFromSafetensorsOptions = {},
): Promise<LayersModel> {
  if (typeof input !== 'string' || /^https?:\/\//i.test(input)) {
    return loadFromInput(tf, input, options);
  }
  const files = await openPath(input);
  try {
    // Every byte of these buffers is read over, so Node's allocation without a zero fill is safe.
    return await loadLayersModelFromFiles(tf, files, options, (length) =>
      Buffer.allocUnsafeSlow(length),
    );
  } finally {
    await files.entry.close();
  }
}

async function openPath(path: string): Promise<CheckpointFiles> {
  if (!isShardedIndexName(path)) return singleFileFiles(await openFileForIO(path));
  try {
    return await folderFiles(path);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message: `cannot open the sharded checkpoint's index: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
}
