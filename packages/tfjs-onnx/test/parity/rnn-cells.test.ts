import { beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx, OnnxExportError } from '../../src/index.js';
import { expectParity, loadBackends, seededSequential, tf } from './parity-harness.js';

beforeAll(async () => {
  expect(await loadBackends()).toBe(true);
});

type Case = [string, () => tf.layers.Layer[], number[]];

const rnn: Case[] = [
  [
    'RNN(LSTMCell), last output',
    () => [tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 3 }), inputShape: [5, 2] })],
    [2, 5, 2],
  ],
  [
    'RNN(GRUCell) returnSequences, sigmoid recurrent',
    () => [
      tf.layers.rnn({
        cell: tf.layers.gruCell({ units: 3, recurrentActivation: 'sigmoid' }),
        returnSequences: true,
        inputShape: [4, 2],
      }),
    ],
    [2, 4, 2],
  ],
  [
    'RNN(SimpleRNNCell relu) goBackwards returnSequences',
    () => [
      tf.layers.rnn({
        cell: tf.layers.simpleRNNCell({ units: 3, activation: 'relu' }),
        goBackwards: true,
        returnSequences: true,
        inputShape: [5, 2],
      }),
    ],
    [2, 5, 2],
  ],
  [
    'RNN over stacked [LSTMCell, GRUCell, SimpleRNNCell], last output',
    () => [
      tf.layers.rnn({
        cell: [
          tf.layers.lstmCell({ units: 4 }),
          tf.layers.gruCell({ units: 3, activation: 'relu' }),
          tf.layers.simpleRNNCell({ units: 2 }),
        ],
        inputShape: [5, 3],
      }),
    ],
    [2, 5, 3],
  ],
  [
    'RNN over stacked cells, returnSequences, then Dense',
    () => [
      tf.layers.rnn({
        cell: [tf.layers.gruCell({ units: 3 }), tf.layers.lstmCell({ units: 2, useBias: false })],
        returnSequences: true,
        inputShape: [4, 2],
      }),
      tf.layers.dense({ units: 2 }),
    ],
    [2, 4, 2],
  ],
  [
    'RNN over stacked cells, goBackwards, last output',
    () => [
      tf.layers.rnn({
        cell: [tf.layers.lstmCell({ units: 3 }), tf.layers.lstmCell({ units: 2 })],
        goBackwards: true,
        inputShape: [5, 2],
      }),
    ],
    [2, 5, 2],
  ],
  [
    'RNN over stacked cells, goBackwards, returnSequences',
    () => [
      tf.layers.rnn({
        cell: [tf.layers.simpleRNNCell({ units: 3 }), tf.layers.gruCell({ units: 2 })],
        goBackwards: true,
        returnSequences: true,
        inputShape: [5, 2],
      }),
    ],
    [2, 5, 2],
  ],
];

describe('RNN over LSTMCell, GRUCell, SimpleRNNCell and stacked cells: ORT matches tfjs (cpu, wasm) within 1e-5', () => {
  it.each(rnn)('%s', async (_name, layers, shape) => {
    await expectParity(seededSequential(layers()), [{ shape }]);
  });
});

async function exportError(model: tf.LayersModel): Promise<OnnxExportError> {
  const error = await exportToOnnx(model, { weights: 'embedded' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OnnxExportError);
  return error as OnnxExportError;
}

describe('a Keras mask reaching a recurrent layer is refused (tfjs skips masked steps)', () => {
  const embedding = () =>
    tf.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] });

  it('Embedding maskZero then LSTM: tfjs output differs from the unmasked computation', async () => {
    const model = seededSequential([embedding(), tf.layers.lstm({ units: 2 })]);
    const unmasked = seededSequential([
      tf.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [4] }),
      tf.layers.lstm({ units: 2 }),
    ]);
    const ids = tf.tensor2d([
      [1, 2, 0, 0],
      [3, 0, 4, 0],
    ]);
    // Same weights, the mask alone changes the result: an export without it would be wrong.
    const masked = Array.from((model.predict(ids) as tf.Tensor).dataSync());
    const plain = Array.from((unmasked.predict(ids) as tf.Tensor).dataSync());
    expect(masked).not.toEqual(plain);
    const error = await exportError(model);
    expect(error.code).toBe('ONNX_EXPORT_UNSUPPORTED_OPTION');
    expect(error.className).toBe('LSTM');
    expect(error.message).toContain('mask');
  });

  it.each([
    [
      'GRU after Dropout',
      () => [embedding(), tf.layers.dropout({ rate: 0.1 }), tf.layers.gru({ units: 2 })],
      'GRU',
    ],
    [
      'RNN(LSTMCell)',
      () => [embedding(), tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 2 }) })],
      'RNN',
    ],
    [
      'Bidirectional(SimpleRNN)',
      () => [
        embedding(),
        tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 2 }) as never }),
      ],
      'Bidirectional',
    ],
    [
      'Masking then LSTM',
      () => [tf.layers.masking({ maskValue: 0, inputShape: [4, 2] }), tf.layers.lstm({ units: 2 })],
      'Masking',
    ],
  ] as [string, () => tf.layers.Layer[], string][])('%s', async (_title, layers, className) => {
    const error = await exportError(seededSequential(layers()));
    expect(error.className).toBe(className);
    if (className !== 'Masking') expect(error.message).toContain('mask');
  });

  it('Embedding maskZero with no recurrent layer after it still exports, with parity', async () => {
    // GlobalAveragePooling1D ignores the mask in tfjs 4.22, so the export is exact.
    const pooled = seededSequential([
      tf.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [4] }),
      tf.layers.globalAveragePooling1d(),
      tf.layers.dense({ units: 2 }),
    ]);
    await expectParity(pooled, [{ shape: [2, 4], maxId: 6 }]);
  });
});
