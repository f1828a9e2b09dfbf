/**
 * Child process for the exact-resume test. Usage:
 *   resume-training.ts full|split|first|resume|resume-without-rng <seed> <state-path> shuffle|no-shuffle
 * Trains a small MLP with Dropout, GaussianNoise, BatchNorm, Adam and shuffled batches under
 * seedEverything + tfjsSeedControl, and prints the final weights' fingerprint as JSON.
 */
import { fingerprint, seedEverything } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import * as tf from '@tensorflow/tfjs';
import {
  loadTrainingState,
  saveTrainingState,
  tfjsCheckpoint,
} from '../../../src/checkpoint/index.js';
import { tfjsSeedControl } from '../../../src/seed/index.js';

const [mode, seedText, statePath, shuffleText] = process.argv.slice(2);
const shuffle = shuffleText === 'shuffle';
await tf.setBackend('cpu');
const scope = seedEverything(Number(seedText), {
  controls: [tfjsSeedControl(tf, { audit: 'off' })],
});

const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 16, inputShape: [5], activation: 'relu' }),
    tf.layers.gaussianNoise({ stddev: 0.1 }),
    tf.layers.dropout({ rate: 0.3 }),
    tf.layers.batchNormalization(),
    tf.layers.dense({ units: 3, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
const count = 48;
const xs = tf.tensor2d(
  Array.from({ length: count * 5 }, (_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.11)),
  [count, 5],
);
const ys = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: count }, (_, i) => (i * 7) % 3),
    'int32',
  ),
  3,
);
const fit = (initialEpoch: number, epochs: number) =>
  model.fit(xs, ys, { initialEpoch, epochs, batchSize: 8, shuffle, verbose: 0 });

if (mode === 'full') {
  await fit(0, 4);
} else if (mode === 'split') {
  await fit(0, 2);
  await fit(2, 4);
} else if (mode === 'first') {
  await fit(0, 2);
  await writeSafetensors(
    await saveTrainingState(tf, model, { seedSnapshot: scope.snapshot() }),
    statePath!,
  );
} else if (mode === 'resume' || mode === 'resume-without-rng') {
  const { seedSnapshot } = await loadTrainingState(tf, model, await readSafetensors(statePath!));
  if (mode === 'resume') scope.restore(seedSnapshot!);
  await fit(2, 4);
} else {
  throw new Error(`unknown mode ${mode}`);
}
const weights = await tfjsCheckpoint(tf).read(model);
process.stdout.write(
  `${JSON.stringify({ fingerprint: fingerprint(weights), names: [...weights.tensors.keys()] })}\n`,
);
scope.release();
