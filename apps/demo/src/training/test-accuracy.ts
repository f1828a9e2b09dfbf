import type * as tfModule from '@tensorflow/tfjs';
import { type DigitSet, IMAGE_SIZE } from '../data/digit-set.js';

/**
 * The share of `set`'s digits whose highest logit is their label. Runtime-neutral.
 *
 * @example
 * testAccuracy(tf, model.logits, split.test); // 0.93
 */
export function testAccuracy(
  tf: typeof tfModule,
  model: tfModule.LayersModel,
  set: DigitSet,
): number {
  const predicted = tf.tidy(() => {
    const logits = model.predict(
      tf.tensor2d(set.images, [set.count, IMAGE_SIZE]),
    ) as tfModule.Tensor;
    return logits.argMax(1).dataSync();
  });
  let correct = 0;
  for (let index = 0; index < set.count; index++) {
    if (predicted[index] === set.labels[index]) correct++;
  }
  return correct / set.count;
}
