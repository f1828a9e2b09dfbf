import { fingerprint, seedEverything } from '@reprokit/core';
import { tfjsCheckpoint, tfjsSeedControl } from '@reprokit/tfjs';
import type * as tfModule from '@tensorflow/tfjs';
import { type DigitSet, IMAGE_SIZE } from '../data/digit-set.js';
import { buildModel } from '../models/build-model.js';
import { fitEpochs } from './fit-epochs.js';
import { LEARNING_RATE } from './training-settings.js';

/** How {@link trainMlpOnDigits} trains. */
export interface DigitTrainingOptions {
  readonly seed: number;
  readonly epochs: number;
  /** `model.fit`'s `shuffle`. Default true, as the demo trains. */
  readonly shuffle?: boolean;
}

/** The trained weights' fingerprint, and what the tfjs seed control's audit reported. */
export interface DigitTrainingResult {
  readonly fingerprint: string;
  readonly findings: readonly string[];
}

/**
 * Train the demo's MLP on digits already in memory, with the demo's settings (Adam 1e-3,
 * batches of 64, one `fit` call per epoch: `fitEpochs`), under `seedEverything(seed)`, on whatever backend
 * `tf` has active. Runtime-neutral: a page and Node run the same code, so their fingerprints
 * can be compared (test/cross-environment/).
 *
 * @example
 * const { fingerprint } = await trainMlpOnDigits(tf, digits, { seed: 42, epochs: 2 });
 */
export async function trainMlpOnDigits(
  tf: typeof tfModule,
  digits: DigitSet,
  options: DigitTrainingOptions,
): Promise<DigitTrainingResult> {
  const findings: string[] = [];
  const control = tfjsSeedControl(tf, { onFinding: (finding) => findings.push(finding.kind) });
  const scope = seedEverything(options.seed, { controls: [control] });
  try {
    const model = buildModel(tf, 'mlp');
    model.training.compile({
      optimizer: tf.train.adam(LEARNING_RATE.mlp),
      loss: 'categoricalCrossentropy',
    });
    const xs = tf.tensor2d(digits.images, [digits.count, IMAGE_SIZE]);
    const ys = tf.oneHot(tf.tensor1d(digits.labels, 'int32'), 10);
    await fitEpochs(model.training, xs, ys, {
      from: 0,
      to: options.epochs,
      shuffle: options.shuffle,
    });
    xs.dispose();
    ys.dispose();
    const weights = await tfjsCheckpoint(tf).read(model.training);
    model.training.dispose();
    return { fingerprint: fingerprint(weights), findings };
  } finally {
    scope.release();
  }
}
