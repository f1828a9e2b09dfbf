import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkpointWeightNames, checkpointWeights } from './checkpoint-weight-names.js';
import { topologyWeightNames } from './topology-weight-names.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function mlp(): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dense({ units: 2 })],
  });
}

/** Names derived from the saved topology, sorted like the live model's. */
function fromTopology(model: tf.LayersModel): string[] {
  const topology = model.toJSON(null, false);
  const byOriginal = topologyWeightNames(
    topology,
    model.weights.map((w) => w.originalName),
  );
  return checkpointWeights(model).map((w) => byOriginal.get(w.variable.originalName) ?? '?');
}

describe('checkpointWeightNames', () => {
  it('gives two identical models built in one process identical Keras-style names', () => {
    const first = mlp();
    const second = mlp();
    expect(first.weights.map((w) => w.name)).not.toEqual(second.weights.map((w) => w.name));
    const names = [...checkpointWeightNames(first).values()];
    expect(names).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    expect([...checkpointWeightNames(second).values()]).toEqual(names);
    expect([...checkpointWeightNames(first).keys()]).toEqual(first.weights.map((w) => w.name));
  });

  it('names nested models, keeps user names and includes non-trainable weights', () => {
    const encoder = tf.sequential({
      name: 'encoder',
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dense({ units: 4 })],
    });
    const inner = mlp();
    const input = tf.input({ shape: [3] });
    const encoded = encoder.apply(input) as tf.SymbolicTensor;
    const normalised = tf.layers.batchNormalization().apply(encoded) as tf.SymbolicTensor;
    const head = tf.layers.dense({ units: 3, name: 'head' }).apply(normalised) as tf.SymbolicTensor;
    const output = inner.apply(head) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const names = [...checkpointWeightNames(model).values()];
    expect(names).toEqual([
      'encoder/dense/kernel',
      'encoder/dense/bias',
      'encoder/dense_1/kernel',
      'encoder/dense_1/bias',
      'batch_normalization/gamma',
      'batch_normalization/beta',
      'batch_normalization/moving_mean',
      'batch_normalization/moving_variance',
      'head/kernel',
      'head/bias',
      'sequential/dense/kernel',
      'sequential/dense/bias',
      'sequential/dense_1/kernel',
      'sequential/dense_1/bias',
    ]);
    expect(fromTopology(model)).toEqual(names);
  });

  it('keeps the inner structure of Bidirectional and TimeDistributed wrappers', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 2, returnSequences: true }) as tf.RNN,
        inputShape: [4, 3],
      }),
    );
    model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }));
    model.add(tf.layers.gru({ units: 2 }));
    const names = [...checkpointWeightNames(model).values()];
    expect(names).toEqual([
      'bidirectional/forward_lstm/kernel',
      'bidirectional/forward_lstm/recurrent_kernel',
      'bidirectional/forward_lstm/bias',
      'bidirectional/backward_lstm/kernel',
      'bidirectional/backward_lstm/recurrent_kernel',
      'bidirectional/backward_lstm/bias',
      'time_distributed/kernel',
      'time_distributed/bias',
      'gru/kernel',
      'gru/recurrent_kernel',
      'gru/bias',
    ]);
    expect(fromTopology(model)).toEqual(names);
  });

  it('names convolution, depthwise, separable, embedding and PReLU weights', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] }),
        tf.layers.depthwiseConv2d({ kernelSize: 3 }),
        tf.layers.separableConv2d({ filters: 2, kernelSize: 1 }),
        tf.layers.conv2d({ filters: 2, kernelSize: 1, useBias: false }),
        tf.layers.prelu(),
      ],
    });
    expect([...checkpointWeightNames(model).values()]).toEqual([
      'conv2d/kernel',
      'conv2d/bias',
      'depthwise_conv2d/depthwise_kernel',
      'depthwise_conv2d/bias',
      'separable_conv2d/depthwise_kernel',
      'separable_conv2d/pointwise_kernel',
      'separable_conv2d/bias',
      'conv2d_1/kernel',
      'p_re_lu/alpha',
    ]);
    const embedding = tf.sequential({
      layers: [tf.layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 3 })],
    });
    expect([...checkpointWeightNames(embedding).values()]).toEqual(['embedding/embeddings']);
    expect(fromTopology(model)).toEqual([...checkpointWeightNames(model).values()]);
  });

  it('refuses names that collide, naming the tfjs variables', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, inputShape: [3], name: 'dense' }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    expect(() => checkpointWeightNames(model)).toThrowError(
      expect.objectContaining({ code: 'TFJS_DUPLICATE_WEIGHT_NAME', tensor: 'dense/kernel' }),
    );
  });

  it('names a tensorflowjs_converter topology from Keras (model_config, Functional, nested)', () => {
    const topology = {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'model',
          layers: [
            { class_name: 'InputLayer', name: 'input_1', config: { name: 'input_1' } },
            { class_name: 'Dense', name: 'dense', config: { name: 'dense' } },
            {
              class_name: 'Sequential',
              name: 'head',
              config: {
                name: 'head',
                layers: [{ class_name: 'Dense', config: { name: 'dense_1' } }],
              },
            },
          ],
        },
      },
    };
    const names = topologyWeightNames(topology, [
      'dense/kernel',
      'dense/bias',
      'head/dense_1/kernel',
      'dense_1/bias',
    ]);
    expect([...names.values()]).toEqual([
      'dense/kernel',
      'dense/bias',
      'head/dense_1/kernel',
      'head/dense_1/bias',
    ]);
  });

  it('reports weights no layer of a topology owns', () => {
    const model = mlp();
    expect(() =>
      topologyWeightNames(model.toJSON(null, false), ['nowhere/kernel'], 'model.json'),
    ).toThrowError(
      expect.objectContaining({
        code: 'TFJS_UNKNOWN_WEIGHT_LAYER',
        tensor: 'nowhere/kernel',
        file: 'model.json',
      }),
    );
  });
});
