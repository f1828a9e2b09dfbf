import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectParity,
  loadBackends,
  type ParityInput,
  seededSequential,
  setSeededWeights,
  tf,
} from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Case = [string, () => tf.layers.Layer[], number[]];

const normalization: Case[] = [
  [
    'BatchNormalization default (axis -1, epsilon 1e-3)',
    () => [tf.layers.batchNormalization({ inputShape: [5] })],
    [3, 5],
  ],
  [
    'BatchNormalization on NHWC, epsilon 0.1',
    () => [tf.layers.batchNormalization({ epsilon: 0.1, inputShape: [3, 3, 4] })],
    [2, 3, 3, 4],
  ],
  [
    'BatchNormalization no center',
    () => [tf.layers.batchNormalization({ center: false, inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  [
    'BatchNormalization no scale',
    () => [tf.layers.batchNormalization({ scale: false, inputShape: [2, 6] })],
    [2, 2, 6],
  ],
  ['LayerNormalization default', () => [tf.layers.layerNormalization({ inputShape: [6] })], [3, 6]],
  [
    'LayerNormalization axis 1 on rank 3 (not trailing)',
    () => [tf.layers.layerNormalization({ axis: 1, inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  [
    'LayerNormalization over [1,2], epsilon 1e-5',
    () => [tf.layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5, inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  [
    'LayerNormalization on rank 4, no center',
    () => [tf.layers.layerNormalization({ center: false, inputShape: [2, 3, 4] })],
    [2, 2, 3, 4],
  ],
];

const activationLayers: Case[] = [
  ['Activation elu', () => [tf.layers.activation({ activation: 'elu', inputShape: [6] })], [3, 6]],
  [
    'Activation softmax on rank 3',
    () => [tf.layers.activation({ activation: 'softmax', inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  ['ReLU', () => [tf.layers.reLU({ inputShape: [6] })], [3, 6]],
  ['ReLU maxValue 0.5', () => [tf.layers.reLU({ maxValue: 0.5, inputShape: [6] })], [3, 6]],
  ['LeakyReLU default alpha 0.3', () => [tf.layers.leakyReLU({ inputShape: [6] })], [3, 6]],
  ['LeakyReLU alpha 0.05', () => [tf.layers.leakyReLU({ alpha: 0.05, inputShape: [6] })], [3, 6]],
  ['PReLU', () => [tf.layers.prelu({ inputShape: [6] })], [3, 6]],
  [
    'PReLU shared axes on NHWC',
    () => [tf.layers.prelu({ sharedAxes: [1, 2], inputShape: [3, 3, 2] })],
    [2, 3, 3, 2],
  ],
  ['ELU (tfjs 4.22 accepts only alpha 1)', () => [tf.layers.elu({ inputShape: [6] })], [3, 6]],
  [
    'ThresholdedReLU theta 0.2',
    () => [tf.layers.thresholdedReLU({ theta: 0.2, inputShape: [6] })],
    [3, 6],
  ],
  ['Softmax layer', () => [tf.layers.softmax({ inputShape: [6] })], [3, 6]],
  [
    'Softmax layer axis -1 on rank 3',
    () => [tf.layers.softmax({ axis: -1, inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  [
    'Softmax layer axis 2 on rank 3',
    () => [tf.layers.softmax({ axis: 2, inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  [
    'Dropout, SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout',
    () => [
      tf.layers.dropout({ rate: 0.3, inputShape: [4, 3] }),
      tf.layers.spatialDropout1d({ rate: 0.2 }),
      tf.layers.gaussianNoise({ stddev: 1 }),
      tf.layers.gaussianDropout({ rate: 0.4 }),
      tf.layers.alphaDropout({ rate: 0.1 }),
    ],
    [2, 4, 3],
  ],
];

const reshaping: Case[] = [
  ['Flatten rank 4', () => [tf.layers.flatten({ inputShape: [2, 3, 2] })], [2, 2, 3, 2]],
  ['Reshape [3, 4]', () => [tf.layers.reshape({ targetShape: [3, 4], inputShape: [12] })], [2, 12]],
  [
    'Reshape with -1',
    () => [tf.layers.reshape({ targetShape: [-1, 2], inputShape: [3, 4] })],
    [2, 3, 4],
  ],
  ['Permute [2, 1]', () => [tf.layers.permute({ dims: [2, 1], inputShape: [3, 4] })], [2, 3, 4]],
  [
    'Permute [3, 1, 2]',
    () => [tf.layers.permute({ dims: [3, 1, 2], inputShape: [2, 3, 4] })],
    [2, 2, 3, 4],
  ],
  ['RepeatVector 3', () => [tf.layers.repeatVector({ n: 3, inputShape: [4] })], [2, 4]],
  [
    'ZeroPadding2D 1',
    () => [tf.layers.zeroPadding2d({ padding: 1, inputShape: [3, 3, 2] })],
    [2, 3, 3, 2],
  ],
  [
    'ZeroPadding2D [[1,2],[0,3]]',
    () => [
      tf.layers.zeroPadding2d({
        padding: [
          [1, 2],
          [0, 3],
        ],
        inputShape: [3, 3, 2],
      }),
    ],
    [2, 3, 3, 2],
  ],
  [
    'Cropping2D [[1,0],[2,1]]',
    () => [
      tf.layers.cropping2D({
        cropping: [
          [1, 0],
          [2, 1],
        ],
        inputShape: [5, 6, 2],
      }),
    ],
    [2, 5, 6, 2],
  ],
  [
    'Cropping2D 1',
    () => [tf.layers.cropping2D({ cropping: 1, inputShape: [5, 6, 2] })],
    [2, 5, 6, 2],
  ],
  [
    'UpSampling2D nearest 2x2',
    () => [tf.layers.upSampling2d({ size: [2, 2], inputShape: [3, 3, 2] })],
    [2, 3, 3, 2],
  ],
  [
    'UpSampling2D nearest [2,3]',
    () => [tf.layers.upSampling2d({ size: [2, 3], inputShape: [3, 2, 2] })],
    [2, 3, 2, 2],
  ],
  [
    'UpSampling2D bilinear 2x2',
    () => [
      tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', inputShape: [3, 3, 2] }),
    ],
    [2, 3, 3, 2],
  ],
];

describe('normalization: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(normalization)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

describe('activation and dropout layers: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(activationLayers)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

describe('reshape, padding, cropping, upsampling: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(reshaping)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

describe('Embedding: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it('Embedding then Flatten and Dense', async () => {
    const model = seededSequential([
      tf.layers.embedding({ inputDim: 7, outputDim: 3, inputLength: 4, inputShape: [4] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ]);
    await expectParity(model, [{ shape: [3, 4], maxId: 7 }]);
  });

  it('Embedding on rank-2 ids, output rank 3', async () => {
    const model = seededSequential([
      tf.layers.embedding({ inputDim: 10, outputDim: 2, inputShape: [2, 3] }),
    ]);
    await expectParity(model, [{ shape: [2, 2, 3], maxId: 10 }]);
  });
});

function twoInputs(merge: (inputs: tf.SymbolicTensor[]) => tf.SymbolicTensor, count = 2) {
  const inputs = Array.from({ length: count }, () => tf.input({ shape: [3, 4] }));
  const model = tf.model({ inputs, outputs: merge(inputs) });
  setSeededWeights(model, 5);
  const specs: ParityInput[] = inputs.map(() => ({ shape: [2, 3, 4] }));
  return { model, specs };
}

describe('merge layers: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  const cases: [string, (i: tf.SymbolicTensor[]) => tf.SymbolicTensor, number][] = [
    ['Add of 3', (i) => tf.layers.add().apply(i) as tf.SymbolicTensor, 3],
    ['Multiply of 3', (i) => tf.layers.multiply().apply(i) as tf.SymbolicTensor, 3],
    ['Average of 3', (i) => tf.layers.average().apply(i) as tf.SymbolicTensor, 3],
    ['Maximum', (i) => tf.layers.maximum().apply(i) as tf.SymbolicTensor, 2],
    ['Minimum of 3', (i) => tf.layers.minimum().apply(i) as tf.SymbolicTensor, 3],
    ['Concatenate last axis', (i) => tf.layers.concatenate().apply(i) as tf.SymbolicTensor, 2],
    [
      'Concatenate axis 1',
      (i) => tf.layers.concatenate({ axis: 1 }).apply(i) as tf.SymbolicTensor,
      3,
    ],
  ];
  it.each(cases)('%s', async (_name, merge, count) => {
    const { model, specs } = twoInputs(merge, count);
    await expectParity(model, specs);
  });
});
