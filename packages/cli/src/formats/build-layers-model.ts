import type { LayersModel } from '@tensorflow/tfjs';
import { loadTfjsRuntime } from './load-adapters.js';

/**
 * Build a tfjs `LayersModel` (freshly initialised weights) from a Keras-format topology, for
 * the conversions that need the model's structure: a tfjs `--template`, a mapping preset, an
 * ONNX export. Needs the optional `@tensorflow/tfjs` peer. Dispose the model when done.
 *
 * @example
 * const { tf, model } = await buildLayersModel(JSON.parse(text).modelTopology);
 */
export async function buildLayersModel(
  modelTopology: unknown,
): Promise<{ tf: typeof import('@tensorflow/tfjs'); model: LayersModel }> {
  const tf = await loadTfjsRuntime();
  // The cpu backend greets Node users on stderr at its first tensor unless PROD is set; the
  // flag is restored so an embedding program's tfjs settings stay as they were.
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  try {
    const model = await tf.models.modelFromJSON({
      modelTopology,
    } as unknown as Parameters<typeof tf.models.modelFromJSON>[0]);
    return { tf, model };
  } finally {
    tf.env().set('PROD', prod);
  }
}
