import { fingerprint, seedEverything } from '@reprokit/core';
import { buildModel } from '@reprokit/demo/build-model';
import type { DemoPlan } from '@reprokit/demo/demo-plan';
import { fitEpochs } from '@reprokit/demo/fit-epochs';
import { testAccuracy } from '@reprokit/demo/test-accuracy';
import { LEARNING_RATE } from '@reprokit/demo/training-settings';
import { tfjsCheckpoint, tfjsSeedControl } from '@reprokit/tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import { IMAGE_SIZE } from './digit-shape.js';
import { fetchMnistDigits } from './mnist-digit-files.js';
import { splitLikeMnistPackage } from './mnist-split-in-page.js';

export interface PageTrainingResult {
  /** `fingerprint()` of the weights before training (the seeded initializers' output). */
  readonly initialFingerprint: string;
  /** `fingerprint()` of the trained weights, comparable with the Node run's. */
  readonly fingerprint: string;
  readonly testAccuracy: number;
  readonly fitMilliseconds: number;
}

/**
 * Train the Node demo's MLP here, the way its training process does (`apps/demo`,
 * `train-model.ts`, through its `fitEpochs` and `testAccuracy`): tfjs `wasm`,
 * `seedEverything(seed)` with the tfjs seed control, the `mnist` package's split, the demo's
 * `buildModel`, Adam, one shuffled `fit` per epoch.
 *
 * The initial and the trained weights come out bit for bit as in Node: tfjs' ES module build
 * freezes `tf.util`, but the seed control reaches `fit`'s shuffle from around it and gives it
 * Node's order (docs/determinism.md). Only the digits
 * are fetched first, because awaiting a fetch under the seed could let other page code draw
 * from the seeded `Math.random`; after that nothing awaits anything but tfjs.
 */
export async function trainMlpInPage(
  tf: typeof tfTypes,
  plan: DemoPlan,
  onEpoch: (epoch: number) => void,
): Promise<PageTrainingResult> {
  const digits = await fetchMnistDigits();
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs "wasm" backend did not start');
  const scope = seedEverything(plan.seed, { controls: [tfjsSeedControl(tf)] });
  try {
    const split = splitLikeMnistPackage(digits, plan.mlp.train, plan.mlp.test);
    const model = buildModel(tf, 'mlp');
    model.training.compile({
      optimizer: tf.train.adam(LEARNING_RATE.mlp),
      loss: 'categoricalCrossentropy',
    });
    const xs = tf.tensor2d(split.train.images, [split.train.count, IMAGE_SIZE]);
    const ys = tf.oneHot(tf.tensor1d(split.train.labels, 'int32'), 10);
    // Reading the weights draws no random numbers, so it does not change what follows.
    const initialFingerprint = fingerprint(await tfjsCheckpoint(tf).read(model.training));
    const started = performance.now();
    await fitEpochs(model.training, xs, ys, { from: 0, to: plan.mlp.epochs, onEpoch });
    const fitMilliseconds = performance.now() - started;
    xs.dispose();
    ys.dispose();
    const weights = await tfjsCheckpoint(tf).read(model.training);
    const accuracy = testAccuracy(tf, model.logits, split.test);
    model.training.dispose();
    return {
      initialFingerprint,
      fingerprint: fingerprint(weights),
      testAccuracy: accuracy,
      fitMilliseconds,
    };
  } finally {
    scope.release();
  }
}
