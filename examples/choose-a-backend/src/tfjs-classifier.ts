import { readFile } from 'node:fs/promises';
import { readSafetensors } from '@reprokit/core/node';
import type * as tfTypes from '@tensorflow/tfjs';
import { type DigitClassifier, labelsFromLogits } from './classification.js';
import { disposedError } from './classifier-error.js';
import { toPixels } from './digit-input.js';
import { CLASSES, IMAGE_SIZE, MODEL_FILES } from './model-files.js';

/**
 * The tfjs backend: build the model from `model.json` and write the shipped weights into it
 * with `tfjsCheckpoint().write` (strict: every tensor must fit by name, dtype and shape).
 * Runs on whichever tfjs backend is active (`cpu` in Node without tfjs-node).
 *
 * @example
 * const classifier = await tfjsClassifier(await import('@tensorflow/tfjs'));
 */
export async function tfjsClassifier(tf: typeof tfTypes): Promise<DigitClassifier> {
  const { tfjsCheckpoint } = await import('@reprokit/tfjs');
  type Topology = Parameters<typeof tf.models.modelFromJSON>[0]['modelTopology'];
  const topology = JSON.parse(await readFile(MODEL_FILES.tfjsTopology, 'utf8')) as Topology;
  const model = await tf.models.modelFromJSON({ modelTopology: topology });
  try {
    await tfjsCheckpoint(tf).write(model, await readSafetensors(MODEL_FILES.weights));
  } catch (error) {
    model.dispose();
    throw error;
  }
  let disposed = false;
  return {
    backend: 'tfjs',
    async classify(images) {
      const { pixels, count } = toPixels(images);
      if (disposed) throw disposedError();
      const input = tf.tensor2d(pixels, [count, IMAGE_SIZE]);
      const output = model.predict(input) as tfTypes.Tensor;
      const logits = Float32Array.from((await output.data()) as Float32Array);
      input.dispose();
      output.dispose();
      return { count, logits, labels: labelsFromLogits(logits, CLASSES) };
    },
    async dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
