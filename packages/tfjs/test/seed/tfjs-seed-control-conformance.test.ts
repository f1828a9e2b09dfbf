import { describeSeedControl } from '@reprokit/conformance';
import * as tf from '@tensorflow/tfjs';
import { beforeAll } from 'vitest';
import { tfjsSeedControl } from '../../src/seed/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * One draw touches every path the control covers: an unseeded op, a layer initializer,
 * a dropout mask in training, the `model.fit` shuffle (`tf.util.shuffle`) and an unseeded
 * `tf.data` shuffle.
 */
async function drawFromTfjs(): Promise<number[]> {
  const values = tf.tidy(() => {
    const uniform = Array.from(tf.randomUniform([4]).dataSync());
    const layer = tf.layers.dense({ units: 2 });
    layer.apply(tf.ones([1, 2])); // builds the kernel; a used layer can be disposed
    const kernel = Array.from(layer.getWeights()[0]!.dataSync());
    layer.dispose();
    const mask = Array.from(
      (
        tf.layers.dropout({ rate: 0.5 }).apply(tf.ones([1, 8]), { training: true }) as tf.Tensor
      ).dataSync(),
    );
    return [...uniform, ...kernel, ...mask];
  });
  const order = [0, 1, 2, 3, 4, 5, 6, 7];
  tf.util.shuffle(order);
  const dataOrder = await tf.data.array([0, 1, 2, 3, 4, 5, 6, 7]).shuffle(8).toArray();
  return [...values, ...order, ...dataOrder];
}

describeSeedControl(
  'tfjs',
  () => ({
    control: tfjsSeedControl(tf, { audit: 'error' }),
    draw: drawFromTfjs,
    // The engine's startScope is the hook every op goes through: an own property while
    // seeded, the prototype method again after release.
    patchedValue: () => (tf.engine() as unknown as { startScope: unknown }).startScope,
  }),
  { snapshot: true, release: true },
);
