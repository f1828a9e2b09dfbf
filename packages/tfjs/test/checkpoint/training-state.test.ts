import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadTrainingState,
  saveTrainingState,
  TRAINING_STATE_KEYS,
} from '../../src/checkpoint/index.js';
import { readTrainingState, writeTrainingState } from '../../src/node/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function trained(optimizer: tf.Optimizer): Promise<tf.Sequential> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [3] }), tf.layers.dense({ units: 1 })],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  await model.fit(tf.ones([4, 3]), tf.zeros([4, 1]), { epochs: 3, verbose: 0, shuffle: false });
  return model;
}

describe('saveTrainingState / loadTrainingState', () => {
  it('stores Adam moments, iterations and accumulated betas under optimizer/ with structural names', async () => {
    const model = await trained(tf.train.adam(0.01));
    const state = await saveTrainingState(tf, model, { seedSnapshot: { root: 1, controls: {} } });
    const optimizerNames = [...state.tensors.keys()].filter((name) =>
      name.startsWith('optimizer/'),
    );
    expect(optimizerNames).toEqual([
      'optimizer/iter',
      'optimizer/dense/kernel/m',
      'optimizer/dense/bias/m',
      'optimizer/dense_1/kernel/m',
      'optimizer/dense_1/bias/m',
      'optimizer/dense/kernel/v',
      'optimizer/dense/bias/v',
      'optimizer/dense_1/kernel/v',
      'optimizer/dense_1/bias/v',
      'optimizer/state/accBeta1',
      'optimizer/state/accBeta2',
    ]);
    expect(new Int32Array(state.tensors.get('optimizer/iter')!.data.slice().buffer)[0]).toBe(3);
    expect(state.metadata.get(TRAINING_STATE_KEYS.optimizerClass)).toBe('Adam');
    expect(JSON.parse(state.metadata.get(TRAINING_STATE_KEYS.seedSnapshot)!)).toEqual({
      root: 1,
      controls: {},
    });

    // A second, identical model in the same process (other tfjs variable names) takes the state.
    const other = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3] }), tf.layers.dense({ units: 1 })],
    });
    const adam = tf.train.adam(0.01);
    other.compile({ optimizer: adam, loss: 'meanSquaredError' });
    const loaded = await loadTrainingState(tf, other, state);
    expect(loaded.seedSnapshot).toEqual({ root: 1, controls: {} });
    const before = await model.optimizer.getWeights();
    const after = await adam.getWeights();
    expect(after.map((w) => w.name)).toEqual(
      before.map((w) =>
        w.name
          .replace(model.layers[0]!.name, other.layers[0]!.name)
          .replace(model.layers[1]!.name, other.layers[1]!.name),
      ),
    );
    for (const [index, weight] of before.entries()) {
      expect(Array.from(await after[index]!.tensor.data())).toEqual(
        Array.from(await weight.tensor.data()),
      );
    }
    const accBeta = (optimizer: tf.Optimizer) =>
      (optimizer as unknown as { accBeta1: tf.Variable }).accBeta1.dataSync()[0];
    expect(accBeta(adam)).toBe(accBeta(model.optimizer));
  });

  it('refuses optimizer state for another optimizer class before changing the model', async () => {
    const model = await trained(tf.train.adam(0.01));
    const state = await saveTrainingState(tf, model);
    const other = tf.sequential({
      layers: [tf.layers.dense({ units: 2, inputShape: [3] }), tf.layers.dense({ units: 1 })],
    });
    other.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const before = other.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(loadTrainingState(tf, other, state)).rejects.toMatchObject({
      code: 'TFJS_OPTIMIZER_STATE',
      message: expect.stringContaining('Adam state but the model'),
    });
    expect(other.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('round-trips through a file with writeTrainingState / readTrainingState', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-training-state-'));
    try {
      const model = await trained(tf.train.adam(0.01));
      const path = join(folder, 'state.safetensors');
      const snapshot = { root: 7, controls: { 'math-random': 'state' } };
      await writeTrainingState(tf, model, path, { seedSnapshot: snapshot });
      const other = tf.sequential({
        layers: [tf.layers.dense({ units: 2, inputShape: [3] }), tf.layers.dense({ units: 1 })],
      });
      other.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const loaded = await readTrainingState(tf, other, path);
      expect(loaded.seedSnapshot).toEqual(snapshot);
      expect(loaded.optimizer).toHaveLength(11);
      expect(fingerprint(await saveTrainingState(tf, other))).toBe(
        fingerprint(await saveTrainingState(tf, model)),
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses a seed snapshot that is not JSON before changing the model', async () => {
    const model = await trained(tf.train.adam(0.01));
    const state = await saveTrainingState(tf, model);
    const metadata = new Map(state.metadata).set(TRAINING_STATE_KEYS.seedSnapshot, '{oops');
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(
      loadTrainingState(tf, model, { tensors: state.tensors, metadata }),
    ).rejects.toMatchObject({ code: 'TFJS_BAD_METADATA' });
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});
