import type { SourceInput } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import {
  type LoadFromSafetensorsOptions,
  loadLayersModelFromSafetensors as loadFromInput,
  loadLayersModelFromSource,
} from '../io/load-layers-model-from-safetensors.js';
import type { TfjsModule } from '../tfjs-module.js';
import { openFileForIO } from './open-file-for-io.js';

/**
 * `loadLayersModelFromSafetensors` of the root entry, plus paths: the file is read one tensor at
 * a time straight into the buffers the model keeps (no zero fill, no second copy), so the load
 * takes about as long as reading the file.
 *
 * @example
 * const model = await loadLayersModelFromSafetensors(tf, 'model.safetensors');
 */
export async function loadLayersModelFromSafetensors(
  tf: TfjsModule,
  input: string | SourceInput,
  options: LoadFromSafetensorsOptions = {},
): Promise<LayersModel> {
  if (typeof input !== 'string') return loadFromInput(tf, input, options);
  const source = await openFileForIO(input);
  try {
    // Every byte of these buffers is read over, so Node's allocation without a zero fill is safe.
    return await loadLayersModelFromSource(tf, source, options, (length) =>
      Buffer.allocUnsafeSlow(length),
    );
  } finally {
    await source.close();
  }
}
