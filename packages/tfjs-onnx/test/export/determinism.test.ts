import { encodeSafetensors } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../../src/index.js';
import { setSeededWeights } from '../parity/parity-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Auto-named layers and inputs: tfjs gives the second copy different (counter) names. */
function build(): tf.LayersModel {
  const a = tf.input({ shape: [3] });
  const b = tf.input({ shape: [3] });
  const shared = tf.layers.dense({ units: 2 });
  const sum = tf.layers
    .add()
    .apply([shared.apply(a) as tf.SymbolicTensor, shared.apply(b) as tf.SymbolicTensor]);
  const model = tf.model({ inputs: [a, b], outputs: sum as tf.SymbolicTensor });
  setSeededWeights(model, 1);
  return model;
}

describe('export is deterministic', () => {
  it.each(['shared', 'embedded'] as const)(
    'two identical models built in one process export to identical bytes (%s)',
    async (weights) => {
      const first = build();
      const second = build();
      expect(first.layers.map((l) => l.name)).not.toEqual(second.layers.map((l) => l.name));
      // Shared mode points into each model's own weights file.
      const options = async (model: tf.LayersModel) =>
        weights === 'shared'
          ? { weights, safetensors: encodeSafetensors(await tfjsCheckpoint(tf).read(model)) }
          : { weights };
      const a = await exportToOnnx(first, await options(first));
      const b = await exportToOnnx(second, await options(second));
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    },
  );
});
