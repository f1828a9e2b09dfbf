import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../../src/index.js';
import { expectParity, loadBackends, ort, seededSequential, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Case = [string, () => tf.layers.Layer[], number[]];

const rescaling: Case[] = [
  [
    'Rescaling 1/255',
    () => [tf.layers.rescaling({ scale: 1 / 255, inputShape: [4, 4, 3] })],
    [2, 4, 4, 3],
  ],
  [
    'Rescaling scale 2, offset -1, then Dense',
    () => [
      tf.layers.rescaling({ scale: 2, offset: -1, inputShape: [5] }),
      tf.layers.dense({ units: 3 }),
    ],
    [3, 5],
  ],
  [
    'Rescaling scale 1/127.5, offset -1 before a Conv2D',
    () => [
      tf.layers.rescaling({ scale: 1 / 127.5, offset: -1, inputShape: [5, 5, 2] }),
      tf.layers.conv2d({ filters: 2, kernelSize: 3 }),
    ],
    [2, 5, 5, 2],
  ],
];

describe('Rescaling: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(rescaling)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });

  it('int32 input pixels are cast to float32 first, as tfjs does (bitwise equal)', async () => {
    await tf.setBackend('cpu');
    const x = tf.input({ shape: [4], dtype: 'int32' });
    const y = tf.layers.rescaling({ scale: 1 / 255, offset: 0.5 }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    const pixels = Int32Array.from([0, 17, 128, 255, 3, 99, 200, 254]);
    const input = tf.tensor2d(pixels, [2, 4], 'int32');
    const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());
    input.dispose();
    const session = await ort.InferenceSession.create(
      await exportToOnnx(model, { weights: 'embedded' }),
    );
    const out = await session.run({
      [session.inputNames[0]!]: new ort.Tensor('int32', pixels, [2, 4]),
    });
    await session.release();
    expect(Array.from(out[session.outputNames[0]!]!.data as Float32Array)).toEqual(expected);
  });
});

describe('why tfjs 4.22 preprocessing layers Resizing and CenterCrop are not exported', () => {
  it('Resizing cannot run inside a model: its call hands the input list to resizeBilinear', async () => {
    await tf.setBackend('cpu');
    const model = tf.sequential({
      layers: [tf.layers.resizing({ height: 4, width: 5, inputShape: [3, 3, 2] })],
    });
    // It also declares [height, width, W]: no batch axis, and the input width as channels.
    expect(model.outputs[0]!.shape).toEqual([4, 5, 3]);
    expect(() => model.predict(tf.ones([2, 3, 3, 2]))).toThrow(/rank 3 or 4, but got rank 1/);
  });

  it('CenterCrop overwrites the recorded shape of its input, so the input size is lost', async () => {
    await tf.setBackend('cpu');
    const x = tf.input({ shape: [5, 6, 2] });
    const features = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
    expect(features.shape).toEqual([null, 5, 6, 2]);
    tf.layers.centerCrop({ height: 2, width: 3 }).apply(features);
    expect(features.shape).toEqual([null, 2, 3, 2]);
    // As a first layer it overwrites the model's input shape, and predict refuses real inputs.
    const first = tf.sequential({
      layers: [tf.layers.centerCrop({ height: 2, width: 3, inputShape: [5, 6, 2] })],
    });
    expect(() => first.predict(tf.ones([1, 5, 6, 2]))).toThrow(
      /expected .* to have shape \[null,2,3,2\]/,
    );
  });
});
