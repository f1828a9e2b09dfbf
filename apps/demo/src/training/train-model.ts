import { createCheckpoint, fingerprint, type SeedSnapshot, seedEverything } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import {
  loadTrainingState,
  saveTrainingState,
  tfjsCheckpoint,
  tfjsSeedControl,
} from '@reprokit/tfjs';
import { safetensorsIO } from '@reprokit/tfjs/node';
import { DemoError } from '../cli/demo-error.js';
import { IMAGE_SIZE, loadMnistSplit } from '../data/mnist-split.js';
import { buildModel } from '../models/build-model.js';
import { useTfjsBackend } from '../runtime/tfjs-runtime.js';
import { fitEpochs } from './fit-epochs.js';
import { testAccuracy } from './test-accuracy.js';
import { EPOCHS_DONE_KEY, type TrainJob, type TrainResult } from './train-job.js';
import { LEARNING_RATE } from './training-settings.js';

/**
 * Run one training job in this process: seed everything, load the MNIST split, build and
 * compile the model, optionally resume from a saved training state, `model.fit` with
 * shuffling and dropout, and report the final weights' fingerprint and test accuracy.
 * Meant for a fresh child process (`train-worker`): it seeds this process' tfjs for good.
 *
 * @example
 * const result = await trainModel({ model: 'mlp', backend: 'wasm', seed: 42,
 *   trainCount: 6000, testCount: 1000, epochs: 3 });
 */
export async function trainModel(job: TrainJob): Promise<TrainResult> {
  const tf = await useTfjsBackend(job.backend);
  const scope = seedEverything(job.seed, { controls: [tfjsSeedControl(tf)] });
  const split = loadMnistSplit(job.trainCount, job.testCount);
  const model = buildModel(tf, job.model);
  model.training.compile({
    optimizer: tf.train.adam(LEARNING_RATE[job.model]),
    loss: 'categoricalCrossentropy',
  });

  let firstEpoch = 0;
  if (job.resume !== undefined) {
    const state = await readSafetensors(job.resume.from);
    const loaded = await loadTrainingState(tf, model.training, state);
    firstEpoch = Number(state.metadata.get(EPOCHS_DONE_KEY));
    if (!Number.isInteger(firstEpoch) || firstEpoch < 0 || firstEpoch > job.epochs) {
      throw new DemoError({
        code: 'DEMO_WORKER_FAILED',
        message: `the training state has no valid "${EPOCHS_DONE_KEY}" (for --epochs ${job.epochs})`,
        file: job.resume.from,
      });
    }
    if (job.resume.mode === 'exact') {
      if (loaded.seedSnapshot === undefined) {
        throw new DemoError({
          code: 'DEMO_WORKER_FAILED',
          message: 'the training state has no seed snapshot',
          file: job.resume.from,
        });
      }
      scope.restore(loaded.seedSnapshot as SeedSnapshot);
    }
  }

  const xs = tf.tensor2d(split.train.images, [split.train.count, IMAGE_SIZE]);
  const ys = tf.oneHot(tf.tensor1d(split.train.labels, 'int32'), 10);
  const started = performance.now();
  await fitEpochs(model.training, xs, ys, { from: firstEpoch, to: job.epochs });
  const fitMs = performance.now() - started;
  xs.dispose();
  ys.dispose();

  if (job.saveStateTo !== undefined) {
    const state = await saveTrainingState(tf, model.training, { seedSnapshot: scope.snapshot() });
    const metadata = new Map(state.metadata);
    metadata.set(EPOCHS_DONE_KEY, String(job.epochs));
    await writeSafetensors(createCheckpoint(state.tensors, metadata), job.saveStateTo);
  }
  if (job.saveWeightsTo !== undefined) {
    await model.logits.save(safetensorsIO(job.saveWeightsTo));
  }
  const weights = await tfjsCheckpoint(tf).read(model.training);
  const accuracy = testAccuracy(tf, model.logits, split.test);
  scope.release();
  return {
    fingerprint: fingerprint(weights),
    testAccuracy: accuracy,
    firstEpoch,
    epochs: job.epochs,
    fitMs,
    backend: job.backend,
  };
}
