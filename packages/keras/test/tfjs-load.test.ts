import { CheckpointMismatchError } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasLayerOrder, readKeras } from '../src/index.js';
import { EXPECTED, expectedValues, fixtureBytes } from './helpers/fixtures.js';
import { FIXTURE_MODELS, TFJS_MODELS } from './tfjs-models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Keras files load into tfjs models built the same way (tfjsCheckpoint(tf).write, strict)', () => {
  it.each(FIXTURE_MODELS)('$fixture -> $model', async ({ fixture, model: make, cast }) => {
    const model = TFJS_MODELS[make]!();
    const checkpoint = await readKeras(fixtureBytes(fixture));
    const report = await tfjsCheckpoint(tf).write(model, checkpoint, { cast: cast === true });
    expect(report.loaded.length).toBe(model.weights.length);
    // Every weight of the model now holds the file's numbers.
    const read = await tfjsCheckpoint(tf).read(model);
    for (const tensor of EXPECTED[fixture]!.tensors.filter((t) => t.role !== 'optimizer')) {
      const values = Array.from(
        new Float32Array(read.tensors.get(tensor.name)!.data.slice().buffer),
      );
      expect(values, tensor.name).toEqual(expectedValues(tensor));
    }
    model.dispose();
  });

  it('a Keras GRU with reset_after=True (Keras 3 legacy file, bias [2, 6]) does not fit tfjs GRU: the strict write says so', async () => {
    const model = tf.sequential({
      layers: [tf.layers.gru({ inputShape: [5, 3], units: 2 }), tf.layers.dense({ units: 1 })],
    });
    const checkpoint = await readKeras(fixtureBytes('keras-3.3-legacy-model.h5'));
    const error = await tfjsCheckpoint(tf)
      .write(model, checkpoint)
      .catch((caught: unknown) => caught);
    expect(CheckpointMismatchError.isInstance(error)).toBe(true);
    expect((error as CheckpointMismatchError).report.mismatched.map((m) => m.name)).toEqual([
      'gru/bias',
    ]);
    model.dispose();
  });

  it('kerasLayerOrder loads by layer order, as Keras does, when the names differ', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 1], filters: 2, kernelSize: 3, name: 'features' }),
        tf.layers.batchNormalization({ name: 'norm' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, name: 'classifier' }),
      ],
    });
    const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-save-weights.h5'));
    const report = await tfjsCheckpoint(tf).write(model, checkpoint, {
      mapping: kerasLayerOrder(),
    });
    expect(report.loaded).toContain('classifier/kernel');
    expect(report.mapping.find((step) => step.to === 'norm/moving_variance')?.from).toEqual([
      'batch_normalization/moving_variance',
    ]);
    const values = Array.from(
      await (model.getLayer('classifier').getWeights()[0]!.data() as Promise<Float32Array>),
    );
    const expected = EXPECTED['tf-keras-2.15-save-weights.h5']!.tensors.find(
      (t) => t.name === 'dense/kernel',
    )!;
    expect(values).toEqual(expectedValues(expected));
    model.dispose();
  });

  it('kerasLayerOrder loads a nested model whose non-trainable weights Keras saved last', async () => {
    const model = TFJS_MODELS.recurrent!();
    const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-model.h5'));
    const report = await tfjsCheckpoint(tf).write(model, checkpoint, {
      mapping: kerasLayerOrder(),
    });
    expect(report.loaded.length).toBe(model.weights.length);
    expect(report.mapping).toEqual([]);
    model.dispose();
  });
});
