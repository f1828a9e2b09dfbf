import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../../src/index.js';
import { expectParity, loadBackends, ort, setSeededWeights, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

describe('model structure: functional graphs export as one ONNX graph', () => {
  it('several inputs and outputs', async () => {
    const a = tf.input({ shape: [4], name: 'a' });
    const b = tf.input({ shape: [3], name: 'b' });
    const ha = tf.layers.dense({ units: 3, activation: 'relu' }).apply(a) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([ha, b]) as tf.SymbolicTensor;
    const out1 = tf.layers.dense({ units: 2, name: 'score' }).apply(joined) as tf.SymbolicTensor;
    const out2 = tf.layers
      .dense({ units: 1, activation: 'sigmoid' })
      .apply(ha) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: [out1, out2] });
    setSeededWeights(model, 9);
    await expectParity(model, [{ shape: [2, 4] }, { shape: [2, 3] }]);
    const session = await ort.InferenceSession.create(
      await exportToOnnx(model, { weights: 'embedded' }),
    );
    expect(session.inputNames).toEqual(['a', 'b']);
    expect(session.outputNames).toEqual(['score', 'dense_1']);
    await session.release();
  });

  it('a shared layer called twice uses one set of weights', async () => {
    const shared = tf.layers.dense({ units: 3, activation: 'tanh' });
    const x1 = tf.input({ shape: [4] });
    const x2 = tf.input({ shape: [4] });
    const sum = tf.layers
      .add()
      .apply([shared.apply(x1) as tf.SymbolicTensor, shared.apply(x2) as tf.SymbolicTensor]);
    const model = tf.model({ inputs: [x1, x2], outputs: sum as tf.SymbolicTensor });
    setSeededWeights(model, 4);
    await expectParity(model, [{ shape: [2, 4] }, { shape: [2, 4] }]);
  });

  it('nested Sequential and functional models, one of them called twice', async () => {
    const encoder = tf.sequential({
      name: 'encoder',
      layers: [
        tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const innerIn = tf.input({ shape: [2] });
    const innerOut = tf.layers.dense({ units: 2, activation: 'elu' }).apply(innerIn);
    const head = tf.model({
      inputs: innerIn,
      outputs: innerOut as tf.SymbolicTensor,
      name: 'head',
    });
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const ea = encoder.apply(a) as tf.SymbolicTensor;
    const eb = encoder.apply(b) as tf.SymbolicTensor;
    const merged = tf.layers.multiply().apply([ea, eb]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [a, b], outputs: head.apply(merged) as tf.SymbolicTensor });
    setSeededWeights(model, 6);
    await expectParity(model, [{ shape: [2, 3] }, { shape: [2, 3] }]);
  });

  it('Bidirectional with mergeMode null: a layer with two outputs', async () => {
    const x = tf.input({ shape: [4, 2] });
    const outputs = tf.layers
      .bidirectional({
        layer: tf.layers.lstm({ units: 2 }) as tf.RNN,
        mergeMode: null as unknown as 'concat',
      })
      .apply(x) as tf.SymbolicTensor[];
    expect(outputs.length).toBe(2);
    const model = tf.model({ inputs: x, outputs });
    setSeededWeights(model, 14);
    await expectParity(model, [{ shape: [2, 4, 2] }]);
  });

  it('the batch dimension is dynamic: one exported model runs batches of 1 and 5', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1] }),
        tf.layers.flatten(),
      ],
    });
    setSeededWeights(model, 2);
    await expectParity(model, [{ shape: [1, 3, 3, 1] }]);
    await expectParity(model, [{ shape: [5, 3, 3, 1] }]);
  });

  it('demo image classifier (conv, batch norm, pooling, dropout, dense softmax)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [8, 8, 3] }),
        tf.layers.batchNormalization(),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.separableConv2d({
          filters: 6,
          kernelSize: 3,
          padding: 'same',
          activation: 'swish',
        }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    setSeededWeights(model, 12);
    await expectParity(model, [{ shape: [4, 8, 8, 3] }]);
  });

  it('demo text classifier (embedding, bidirectional LSTM, dense)', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 20, outputDim: 4, inputShape: [6] }),
        tf.layers.bidirectional({
          layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN,
        }),
        tf.layers.globalMaxPooling1d({}),
        tf.layers.dense({ units: 2, activation: 'sigmoid' }),
      ],
    });
    setSeededWeights(model, 13);
    await expectParity(model, [{ shape: [3, 6], maxId: 20 }]);
  });

  it('dynamic height and width: same-padding conv and pooling use auto_pad SAME_UPPER', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          inputShape: [null, null, 2],
        } as never),
        tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        tf.layers.depthwiseConv2d({ kernelSize: 2, padding: 'same' }),
        tf.layers.globalAveragePooling2d({}),
      ],
    });
    setSeededWeights(model, 15);
    await expectParity(model, [{ shape: [2, 7, 6, 2] }]);
    await expectParity(model, [{ shape: [1, 10, 9, 2] }]);
  });

  it.each([13, 18, 21])('opset %i gives the same numbers', async (opset) => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 2] }),
        tf.layers.layerNormalization(),
        tf.layers.globalAveragePooling1d(),
        tf.layers.repeatVector({ n: 2 }),
        tf.layers.gru({ units: 2 }),
      ],
    });
    setSeededWeights(model, 8);
    await expectParity(model, [{ shape: [2, 5, 2] }], { opset });
  });
});

describe('int32 inputs', () => {
  it('an int32 id input feeds Embedding; ORT takes int32 ids', async () => {
    const ids = tf.input({ shape: [4], dtype: 'int32', name: 'ids' });
    const embedded = tf.layers.embedding({ inputDim: 9, outputDim: 3 }).apply(ids);
    const pooled = tf.layers.globalAveragePooling1d({}).apply(embedded);
    const model = tf.model({ inputs: ids, outputs: pooled as tf.SymbolicTensor });
    setSeededWeights(model, 21);
    const data = Int32Array.from([0, 8, 3, 3, 5, 1, 2, 7]);
    const expected = await (model.predict(tf.tensor(data, [2, 4], 'int32')) as tf.Tensor).data();
    const session = await ort.InferenceSession.create(
      await exportToOnnx(model, { weights: 'embedded' }),
    );
    const out = await session.run({ ids: new ort.Tensor('int32', data, [2, 4]) });
    const actual = out[session.outputNames[0]!]!.data as Float32Array;
    await session.release();
    expect(actual.length).toBe(6);
    actual.forEach((v, i) => {
      expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5);
    });
  });
});
