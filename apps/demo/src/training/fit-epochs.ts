import type * as tfModule from '@tensorflow/tfjs';
import { BATCH_SIZE } from './training-settings.js';

/** Which epochs {@link fitEpochs} runs, and how. */
export interface FitEpochsOptions {
  /** The first epoch to run (0, or the epochs a resumed state has done). */
  readonly from: number;
  /** Stops after this many epochs in all. */
  readonly to: number;
  /** `model.fit`'s `shuffle`. Default true, as the demo trains. */
  readonly shuffle?: boolean;
  /** Called before each epoch with its number counted from 1. */
  readonly onEpoch?: (epoch: number) => void;
}

/**
 * Train `model` the way every demo run does, in Node and in a page: one `fit` call per epoch
 * (with `initialEpoch`), as a training loop that checkpoints every epoch would do, batches of
 * {@link BATCH_SIZE}, no logging. Runtime-neutral. (With the tfjs seed control active, one
 * multi-epoch call would resume exactly too: each epoch's order depends on the stream alone.)
 *
 * @example
 * await fitEpochs(model.training, xs, ys, { from: 0, to: 3 });
 */
export async function fitEpochs(
  model: tfModule.LayersModel,
  xs: tfModule.Tensor,
  ys: tfModule.Tensor,
  options: FitEpochsOptions,
): Promise<void> {
  for (let epoch = options.from; epoch < options.to; epoch++) {
    options.onEpoch?.(epoch + 1);
    await model.fit(xs, ys, {
      epochs: epoch + 1,
      initialEpoch: epoch,
      batchSize: BATCH_SIZE,
      shuffle: options.shuffle ?? true,
      verbose: 0,
    });
  }
}
