import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_ACTIVATIONS } from '../../src/index.js';
import { loadBackends, measureParity, setSeededWeights, TOLERANCE, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

function sequential(layers: tf.layers.Layer[]): tf.LayersModel {
  const model = tf.sequential({ layers });
  setSeededWeights(model, 3);
  return model;
}

describe('Dense and activations: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(SUPPORTED_ACTIVATIONS.map((a) => [a]))('Dense with activation %s', async (activation) => {
    const model = sequential([
      tf.layers.dense({ units: 5, inputShape: [4], activation: activation as 'relu' }),
    ]);
    const { diffs } = await measureParity(model, [{ shape: [3, 4] }]);
    for (const [key, diff] of Object.entries(diffs))
      expect(diff, key).toBeLessThanOrEqual(TOLERANCE);
  });

  it('Dense without bias on rank-3 input, then Flatten and Dropout', async () => {
    const model = sequential([
      tf.layers.dense({ units: 3, inputShape: [2, 4], useBias: false }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    const { diffs } = await measureParity(model, [{ shape: [2, 2, 4] }]);
    for (const [key, diff] of Object.entries(diffs))
      expect(diff, key).toBeLessThanOrEqual(TOLERANCE);
  });
});
