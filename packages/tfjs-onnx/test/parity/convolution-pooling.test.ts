import { beforeAll, describe, expect, it } from 'vitest';
import { expectParity, loadBackends, seededSequential, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Case = [string, () => tf.layers.Layer[], number[]];

const conv1d: Case[] = [
  [
    'Conv1D valid k3',
    () => [tf.layers.conv1d({ filters: 3, kernelSize: 3, inputShape: [8, 2] })],
    [2, 8, 2],
  ],
  [
    'Conv1D same stride 2',
    () => [
      tf.layers.conv1d({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        inputShape: [7, 3],
      }),
    ],
    [2, 7, 3],
  ],
  [
    'Conv1D same dilation 2, tanh, no bias',
    () => [
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'same',
        useBias: false,
        activation: 'tanh',
        inputShape: [9, 2],
      }),
    ],
    [2, 9, 2],
  ],
];

const conv2d: Case[] = [
  [
    'Conv2D valid 3x3',
    () => [tf.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2] })],
    [2, 6, 6, 2],
  ],
  [
    'Conv2D same stride 2 odd input',
    () => [
      tf.layers.conv2d({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        inputShape: [7, 5, 3],
      }),
    ],
    [2, 7, 5, 3],
  ],
  [
    'Conv2D same dilation 2, relu',
    () => [
      tf.layers.conv2d({
        filters: 2,
        kernelSize: [3, 2],
        dilationRate: 2,
        padding: 'same',
        activation: 'relu',
        inputShape: [7, 7, 2],
      }),
    ],
    [1, 7, 7, 2],
  ],
  [
    'Conv2D valid strides [2,1] no bias',
    () => [
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 2,
        strides: [2, 1],
        useBias: false,
        inputShape: [6, 5, 1],
      }),
    ],
    [2, 6, 5, 1],
  ],
  [
    'Conv2D channelsFirst',
    () => [
      tf.layers.conv2d({
        filters: 2,
        kernelSize: 3,
        padding: 'same',
        dataFormat: 'channelsFirst',
        inputShape: [2, 5, 5],
      }),
    ],
    [2, 2, 5, 5],
  ],
  [
    'Conv2D then Flatten (NHWC order) then Dense',
    () => [
      tf.layers.conv2d({ filters: 3, kernelSize: 2, inputShape: [4, 4, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    [2, 4, 4, 2],
  ],
  [
    'DepthwiseConv2D same m=1',
    () => [tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', inputShape: [5, 5, 3] })],
    [2, 5, 5, 3],
  ],
  [
    'DepthwiseConv2D valid m=2 stride 2',
    () => [
      tf.layers.depthwiseConv2d({
        kernelSize: 2,
        depthMultiplier: 2,
        strides: 2,
        inputShape: [6, 6, 2],
      }),
    ],
    [2, 6, 6, 2],
  ],
  [
    'SeparableConv2D same dilation 2',
    () => [
      tf.layers.separableConv2d({
        filters: 2,
        kernelSize: 2,
        dilationRate: 2,
        padding: 'same',
        inputShape: [6, 6, 2],
      }),
    ],
    [2, 6, 6, 2],
  ],
  [
    'DepthwiseConv2D dilationRate 2 (ignored by tfjs 4.22, so by the export) m=3 relu',
    () => [
      tf.layers.depthwiseConv2d({
        kernelSize: 2,
        depthMultiplier: 3,
        dilationRate: 2,
        activation: 'relu',
        inputShape: [6, 6, 2],
      }),
    ],
    [1, 6, 6, 2],
  ],
  [
    'SeparableConv2D same m=1',
    () => [
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        inputShape: [5, 5, 2],
      }),
    ],
    [2, 5, 5, 2],
  ],
  [
    'SeparableConv2D valid m=2 stride 2',
    () => [
      tf.layers.separableConv2d({
        filters: 3,
        kernelSize: 2,
        depthMultiplier: 2,
        strides: 2,
        inputShape: [6, 6, 3],
      }),
    ],
    [2, 6, 6, 3],
  ],
  [
    'Conv2DTranspose same k3 s2',
    () => [
      tf.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        inputShape: [3, 4, 2],
      }),
    ],
    [2, 3, 4, 2],
  ],
  [
    'Conv2DTranspose valid k3 s2',
    () => [
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, inputShape: [3, 3, 2] }),
    ],
    [2, 3, 3, 2],
  ],
  [
    'Conv2DTranspose valid k2 s3 (k < s)',
    () => [
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 3, inputShape: [3, 3, 1] }),
    ],
    [1, 3, 3, 1],
  ],
  [
    'Conv2DTranspose same k4 s2',
    () => [
      tf.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        inputShape: [3, 3, 2],
      }),
    ],
    [2, 3, 3, 2],
  ],
  [
    'Conv2DTranspose same k1 s2 (k < s)',
    () => [
      tf.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 1,
        strides: 2,
        padding: 'same',
        inputShape: [3, 3, 2],
      }),
    ],
    [2, 3, 3, 2],
  ],
  [
    'Conv2DTranspose same k3 s1 no bias',
    () => [
      tf.layers.conv2dTranspose({
        filters: 3,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        inputShape: [4, 4, 2],
      }),
    ],
    [2, 4, 4, 2],
  ],
];

const pooling: Case[] = [
  [
    'MaxPooling1D 2',
    () => [tf.layers.maxPooling1d({ poolSize: 2, inputShape: [8, 3] })],
    [2, 8, 3],
  ],
  [
    'MaxPooling1D 3 stride 2 same',
    () => [
      tf.layers.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 2] }),
    ],
    [2, 7, 2],
  ],
  [
    'AveragePooling1D 2',
    () => [tf.layers.averagePooling1d({ poolSize: 2, inputShape: [8, 3] })],
    [2, 8, 3],
  ],
  [
    'AveragePooling1D 3 stride 2 same',
    () => [
      tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 2] }),
    ],
    [2, 7, 2],
  ],
  [
    'MaxPooling2D 2x2',
    () => [tf.layers.maxPooling2d({ poolSize: 2, inputShape: [6, 6, 2] })],
    [2, 6, 6, 2],
  ],
  [
    'MaxPooling2D 3x3 s2 same',
    () => [
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 6, 2] }),
    ],
    [2, 7, 6, 2],
  ],
  [
    'MaxPooling2D [2,3] strides [1,2]',
    () => [tf.layers.maxPooling2d({ poolSize: [2, 3], strides: [1, 2], inputShape: [5, 7, 1] })],
    [2, 5, 7, 1],
  ],
  [
    'AveragePooling2D 2x2',
    () => [tf.layers.averagePooling2d({ poolSize: 2, inputShape: [6, 6, 2] })],
    [2, 6, 6, 2],
  ],
  [
    'AveragePooling2D 3x3 s2 same (padding not counted)',
    () => [
      tf.layers.averagePooling2d({
        poolSize: 3,
        strides: 2,
        padding: 'same',
        inputShape: [7, 6, 2],
      }),
    ],
    [2, 7, 6, 2],
  ],
  [
    'GlobalAveragePooling1D',
    () => [tf.layers.globalAveragePooling1d({ inputShape: [5, 3] })],
    [2, 5, 3],
  ],
  ['GlobalMaxPooling1D', () => [tf.layers.globalMaxPooling1d({ inputShape: [5, 3] })], [2, 5, 3]],
  [
    'GlobalAveragePooling2D',
    () => [tf.layers.globalAveragePooling2d({ inputShape: [4, 5, 3] })],
    [2, 4, 5, 3],
  ],
  [
    'GlobalMaxPooling2D',
    () => [tf.layers.globalMaxPooling2d({ inputShape: [4, 5, 3] })],
    [2, 4, 5, 3],
  ],
  [
    'GlobalAveragePooling2D channelsFirst',
    () => [
      tf.layers.globalAveragePooling2d({ dataFormat: 'channelsFirst', inputShape: [3, 4, 5] }),
    ],
    [2, 3, 4, 5],
  ],
];

describe('convolutions: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each([...conv1d, ...conv2d])('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

describe('pooling: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(pooling)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});
