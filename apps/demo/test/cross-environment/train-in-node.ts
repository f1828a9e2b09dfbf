/**
 * Child process of the cross-environment check: loads 250 MNIST digits, trains the demo's MLP
 * on tfjs `cpu` and `wasm` in Node (CommonJS tfjs, as the demo runs), and prints a
 * `NodeTraining` as one JSON line. A fresh process, as the demo's training workers are.
 */
import { seedEverything } from '@reprokit/core';
import { loadMnistSplit } from '../../src/data/mnist-split.js';
import { useTfjsBackend } from '../../src/runtime/tfjs-runtime.js';
import { trainMlpOnDigits } from '../../src/training/train-mlp-on-digits.js';
import {
  CROSS_ENVIRONMENT_DIGITS,
  CROSS_ENVIRONMENT_EPOCHS,
  CROSS_ENVIRONMENT_SEED,
  type NodeTraining,
} from './node-training.js';

// The mnist package shuffles its split with Math.random: seeded, the digits are the same each run.
const loading = seedEverything(CROSS_ENVIRONMENT_SEED);
const digits = loadMnistSplit(CROSS_ENVIRONMENT_DIGITS, 0).train;
loading.release();

const fingerprints: Record<string, { unshuffled: string; shuffled: string }> = {};
for (const backend of ['cpu', 'wasm'] as const) {
  const tf = await useTfjsBackend(backend);
  const options = { seed: CROSS_ENVIRONMENT_SEED, epochs: CROSS_ENVIRONMENT_EPOCHS };
  fingerprints[backend] = {
    unshuffled: (await trainMlpOnDigits(tf, digits, { ...options, shuffle: false })).fingerprint,
    shuffled: (await trainMlpOnDigits(tf, digits, { ...options, shuffle: true })).fingerprint,
  };
}

const result: NodeTraining = {
  seed: CROSS_ENVIRONMENT_SEED,
  epochs: CROSS_ENVIRONMENT_EPOCHS,
  imagesBase64: Buffer.from(
    digits.images.buffer,
    digits.images.byteOffset,
    digits.images.byteLength,
  ).toString('base64'),
  labels: [...digits.labels],
  fingerprints: fingerprints as NodeTraining['fingerprints'],
};
process.stdout.write(`${JSON.stringify(result)}\n`);
