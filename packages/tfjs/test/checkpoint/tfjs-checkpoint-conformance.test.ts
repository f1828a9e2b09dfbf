import { describeCheckpointAdapter } from '@reprokit/conformance/runtime-neutral';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe } from 'vitest';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';
import { testBackends, useTestBackend } from '../backends/tfjs-test-backends.js';

/** A functional model with a nested Sequential, BatchNorm (non-trainable stats) and two Dense layers. */
function createModel(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const inner = tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }),
      tf.layers.dense({ units: 5 }),
    ],
  });
  const hidden = tf.layers.batchNormalization().apply(inner.apply(input)) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 3 }).apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

async function predict(model: tf.LayersModel): Promise<number[]> {
  const input = tf.tensor2d([
    [0.1, -0.2, 0.3, 0.4],
    [1, 2, -3, 0.5],
  ]);
  const output = model.predict(input) as tf.Tensor;
  const values = Array.from(await output.data());
  input.dispose();
  output.dispose();
  return values;
}

// Node: cpu and wasm; Chromium adds webgl.
for (const backend of testBackends) {
  describe(`on the ${backend} backend`, () => {
    beforeAll(async () => {
      await useTestBackend(backend);
    });
    describeCheckpointAdapter(`tfjs (${backend})`, () => ({
      adapter: tfjsCheckpoint(tf),
      createModel: async () => createModel(),
      predict,
      dispose: (model) => {
        model.dispose();
      },
    }));
  });
}
