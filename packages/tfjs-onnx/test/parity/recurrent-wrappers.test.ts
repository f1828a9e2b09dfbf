import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, loadBackends, seededSequential, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Case = [string, () => tf.layers.Layer[], number[]];

const recurrent: Case[] = [
  [
    'LSTM defaults (hardSigmoid recurrent activation), last output',
    () => [tf.layers.lstm({ units: 4, inputShape: [5, 3] })],
    [2, 5, 3],
  ],
  [
    'LSTM returnSequences',
    () => [tf.layers.lstm({ units: 3, returnSequences: true, inputShape: [4, 2] })],
    [2, 4, 2],
  ],
  [
    'LSTM sigmoid recurrent, relu activation, no bias',
    () => [
      tf.layers.lstm({
        units: 3,
        recurrentActivation: 'sigmoid',
        activation: 'relu',
        useBias: false,
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'LSTM goBackwards returnSequences',
    () => [
      tf.layers.lstm({ units: 3, goBackwards: true, returnSequences: true, inputShape: [5, 2] }),
    ],
    [2, 5, 2],
  ],
  [
    'LSTM goBackwards last output',
    () => [tf.layers.lstm({ units: 3, goBackwards: true, inputShape: [5, 2] })],
    [2, 5, 2],
  ],
  [
    'stacked LSTM then Dense',
    () => [
      tf.layers.lstm({ units: 3, returnSequences: true, inputShape: [4, 2] }),
      tf.layers.lstm({ units: 2 }),
      tf.layers.dense({ units: 2 }),
    ],
    [2, 4, 2],
  ],
  ['GRU defaults, last output', () => [tf.layers.gru({ units: 4, inputShape: [5, 3] })], [2, 5, 3]],
  [
    'GRU returnSequences, sigmoid recurrent',
    () => [
      tf.layers.gru({
        units: 3,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'GRU goBackwards returnSequences, no bias',
    () => [
      tf.layers.gru({
        units: 2,
        goBackwards: true,
        returnSequences: true,
        useBias: false,
        inputShape: [4, 3],
      }),
    ],
    [2, 4, 3],
  ],
  [
    'LSTM softsign activation',
    () => [tf.layers.lstm({ units: 3, activation: 'softsign', inputShape: [4, 2] })],
    [2, 4, 2],
  ],
  [
    'GRU linear activation, relu recurrent',
    () => [
      tf.layers.gru({
        units: 3,
        activation: 'linear',
        recurrentActivation: 'relu',
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'GRU elu activation, tanh recurrent',
    () => [
      tf.layers.gru({
        units: 2,
        activation: 'elu',
        recurrentActivation: 'tanh',
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'SimpleRNN softplus',
    () => [tf.layers.simpleRNN({ units: 3, activation: 'softplus', inputShape: [4, 2] })],
    [2, 4, 2],
  ],
  ['SimpleRNN tanh', () => [tf.layers.simpleRNN({ units: 3, inputShape: [4, 2] })], [2, 4, 2]],
  [
    'SimpleRNN relu returnSequences',
    () => [
      tf.layers.simpleRNN({
        units: 3,
        activation: 'relu',
        returnSequences: true,
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
];

const wrappers: Case[] = [
  [
    'Bidirectional LSTM concat, last output',
    () => [
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 3 }) as tf.RNN,
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'Bidirectional LSTM concat returnSequences',
    () => [
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN,
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'Bidirectional GRU sum returnSequences',
    () => [
      tf.layers.bidirectional({
        layer: tf.layers.gru({ units: 2, returnSequences: true }) as tf.RNN,
        mergeMode: 'sum',
        inputShape: [5, 3],
      }),
    ],
    [2, 5, 3],
  ],
  [
    'Bidirectional GRU mul',
    () => [
      tf.layers.bidirectional({
        layer: tf.layers.gru({ units: 2 }) as tf.RNN,
        mergeMode: 'mul',
        inputShape: [5, 3],
      }),
    ],
    [2, 5, 3],
  ],
  [
    'Bidirectional LSTM ave',
    () => [
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 2 }) as tf.RNN,
        mergeMode: 'ave',
        inputShape: [3, 2],
      }),
    ],
    [2, 3, 2],
  ],
  [
    'TimeDistributed Dense',
    () => [
      tf.layers.timeDistributed({
        layer: tf.layers.dense({ units: 3, activation: 'tanh' }),
        inputShape: [4, 5],
      }),
    ],
    [2, 4, 5],
  ],
  [
    'TimeDistributed Conv2D',
    () => [
      tf.layers.timeDistributed({
        layer: tf.layers.conv2d({ filters: 2, kernelSize: 2 }),
        inputShape: [3, 4, 4, 2],
      }),
    ],
    [2, 3, 4, 4, 2],
  ],
  [
    'TimeDistributed Dense then LSTM',
    () => [
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), inputShape: [4, 2] }),
      tf.layers.lstm({ units: 2 }),
    ],
    [2, 4, 2],
  ],
];

describe('recurrent layers: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(recurrent)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

describe('wrappers: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(wrappers)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});
