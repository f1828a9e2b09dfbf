import { readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxToKeras } from '../../src/mapping/index.js';
import { buildOnnxModel, maxAbsDiff, randomValues, runOnnx, weight } from './onnx-test-graph.js';

const batch = 2;
const steps = 5;
const features = 3;
const units = 4;
const vocab = 7;

/** x [N, T, F] -> (Transpose to [T, N, F]) -> LSTM/GRU -> y_h [dirs, N, h]. */
function recurrentModel(
  op: 'LSTM' | 'GRU',
  attributes: Record<string, number | string> = {},
  embedding = false,
): Uint8Array {
  const gates = op === 'LSTM' ? 4 : 3;
  const dirs = attributes.direction === 'bidirectional' ? 2 : 1;
  return buildOnnxModel({
    inputs: [
      embedding
        ? { name: 'x', shape: ['N', steps], type: 'int64' }
        : { name: 'x', shape: ['N', steps, features] },
    ],
    outputs: [{ name: 'y_h', shape: [dirs, 'N', units] }],
    nodes: [
      ...(embedding
        ? [{ op: 'Gather', name: 'embed', inputs: ['embed.weight', 'x'], outputs: ['e'] }]
        : []),
      {
        op: 'Transpose',
        inputs: [embedding ? 'e' : 'x'],
        outputs: ['t'],
        attributes: { perm: [1, 0, 2] },
      },
      {
        op,
        name: 'rnn',
        inputs: ['t', 'rnn.W', 'rnn.R', 'rnn.B'],
        outputs: ['', 'y_h'],
        attributes: { hidden_size: units, ...attributes },
      },
    ],
    initializers: new Map([
      ...(embedding ? [['embed.weight', weight([vocab, features], 30, 1)] as const] : []),
      ['rnn.W', weight([dirs, gates * units, features], 31)],
      ['rnn.R', weight([dirs, gates * units, units], 32)],
      ['rnn.B', weight([dirs, 2 * gates * units], 33)],
    ]),
  });
}

async function parity(bytes: Uint8Array, model: tf.LayersModel, ids = false) {
  const x = ids
    ? BigInt64Array.from(Array.from({ length: batch * steps }, (_, i) => BigInt((i * 3) % vocab)))
    : randomValues(batch * steps * features, 34, 1.5);
  const dims = ids ? [batch, steps] : [batch, steps, features];
  const expected = (await runOnnx(bytes, { x: { data: x, dims } })).y_h!;
  const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
    mapping: onnxToKeras(bytes, model),
  });
  const input = ids
    ? tf.tensor2d(Array.from(x as BigInt64Array, Number), [batch, steps])
    : tf.tensor3d(x as Float32Array, [batch, steps, features]);
  const output = model.predict(input) as tf.Tensor;
  const actual = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return { report, actual, expected };
}

/** y_h [2, N, h] -> per sample [forward h, backward h], the Bidirectional concat order. */
function concatDirections(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let n = 0; n < batch; n++) {
    out.set(data.subarray(n * units, (n + 1) * units), n * 2 * units);
    out.set(data.subarray((batch + n) * units, (batch + n + 1) * units), n * 2 * units + units);
  }
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch-style recurrent layers into tfjs (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it('maps Embedding (Gather) + LSTM with gates reordered iofc -> ifco, matching ORT within 1e-5', async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: vocab, outputDim: features, inputLength: steps }),
          tf.layers.lstm({ units, recurrentActivation: 'sigmoid' }),
        ],
      });
      const { report, actual, expected } = await parity(
        recurrentModel('LSTM', {}, true),
        model,
        true,
      );
      expect(report.mapping).toEqual([
        { from: ['embed.weight'], to: 'embedding/embeddings', transform: 'rename' },
        {
          from: ['rnn.W'],
          to: 'lstm/kernel',
          transform:
            'select index 0 of axis 0 (forward), then reorder gates iofc->ifco on axis 0, then transpose [1,0] ([G*h,in] -> [in,G*h])',
        },
        {
          from: ['rnn.R'],
          to: 'lstm/recurrent_kernel',
          transform:
            'select index 0 of axis 0 (forward), then reorder gates iofc->ifco on axis 0, then transpose [1,0] ([G*h,in] -> [in,G*h])',
        },
        {
          from: ['rnn.B'],
          to: 'lstm/bias',
          transform:
            'select index 0 of axis 0 (forward), then Wb + Rb (split [8h] into halves and sum), then reorder gates iofc->ifco on axis 0',
        },
      ]);
      expect(actual).toHaveLength(batch * units);
      expect(maxAbsDiff(actual, expected.data)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });

    it('maps a reverse LSTM into goBackwards, and a bidirectional one into Bidirectional', async () => {
      const backwards = tf.sequential({
        layers: [
          tf.layers.lstm({
            inputShape: [steps, features],
            units,
            recurrentActivation: 'sigmoid',
            goBackwards: true,
          }),
        ],
      });
      const reverse = await parity(recurrentModel('LSTM', { direction: 'reverse' }), backwards);
      expect(maxAbsDiff(reverse.actual, reverse.expected.data)).toBeLessThanOrEqual(1e-5);
      backwards.dispose();

      const both = tf.sequential({
        layers: [
          tf.layers.bidirectional({
            inputShape: [steps, features],
            layer: tf.layers.lstm({ units, recurrentActivation: 'sigmoid' }) as tf.RNN,
            mergeMode: 'concat',
          }),
        ],
      });
      const result = await parity(recurrentModel('LSTM', { direction: 'bidirectional' }), both);
      expect(result.report.mapping.map((step) => step.to)).toEqual([
        'bidirectional/forward_lstm/kernel',
        'bidirectional/forward_lstm/recurrent_kernel',
        'bidirectional/forward_lstm/bias',
        'bidirectional/backward_lstm/kernel',
        'bidirectional/backward_lstm/recurrent_kernel',
        'bidirectional/backward_lstm/bias',
      ]);
      expect(result.report.mapping[3]!.transform).toMatch(/^select index 1 of axis 0 \(backward\)/);
      expect(maxAbsDiff(result.actual, concatDirections(result.expected.data))).toBeLessThanOrEqual(
        1e-5,
      );
      both.dispose();
    });

    it('maps a GRU (linear_before_reset=0): gates zrh kept, biases summed, matching ORT within 1e-5', async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.gru({ inputShape: [steps, features], units, recurrentActivation: 'sigmoid' }),
        ],
      });
      const { report, actual, expected } = await parity(recurrentModel('GRU'), model);
      expect(report.mapping.map((step) => step.transform)).toEqual([
        'select index 0 of axis 0 (forward), then transpose [1,0] ([G*h,in] -> [in,G*h])',
        'select index 0 of axis 0 (forward), then transpose [1,0] ([G*h,in] -> [in,G*h])',
        'select index 0 of axis 0 (forward), then Wb + Rb (split [6h] into halves and sum)',
      ]);
      expect(maxAbsDiff(actual, expected.data)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });
  });
}

describe('recurrent mismatches get typed errors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("refuses tfjs' default hardSigmoid against ONNX Sigmoid, saying what to build", () => {
    const model = tf.sequential({
      layers: [tf.layers.lstm({ inputShape: [steps, features], units })],
    });
    expect(() => onnxToKeras(recurrentModel('LSTM'), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_ACTIVATION_MISMATCH',
        message: expect.stringContaining("recurrentActivation: 'sigmoid'"),
      }),
    );
  });

  it('refuses a PyTorch GRU (linear_before_reset=1): tfjs GRU has no resetAfter', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.gru({ inputShape: [steps, features], units, recurrentActivation: 'sigmoid' }),
      ],
    });
    expect(() =>
      onnxToKeras(recurrentModel('GRU', { linear_before_reset: 1 }), model),
    ).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        message: expect.stringContaining('GRU "rnn" -> GRU "gru"'),
      }),
    );
  });

  it('refuses clip and peepholes, which tfjs LSTM cannot compute', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ inputShape: [steps, features], units, recurrentActivation: 'sigmoid' }),
      ],
    });
    expect(() => onnxToKeras(recurrentModel('LSTM', { clip: 3.5 }), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        message: expect.stringContaining('clip'),
      }),
    );
    const peepholes = buildOnnxModel({
      inputs: [{ name: 'x', shape: [steps, 'N', features] }],
      outputs: [{ name: 'y_h', shape: [1, 'N', units] }],
      nodes: [
        {
          op: 'LSTM',
          name: 'rnn',
          inputs: ['x', 'W', 'R', 'B', '', '', '', 'P'],
          outputs: ['', 'y_h'],
          attributes: { hidden_size: units },
        },
      ],
      initializers: new Map([
        ['W', weight([1, 4 * units, features], 1)],
        ['R', weight([1, 4 * units, units], 2)],
        ['B', weight([1, 8 * units], 3)],
        ['P', weight([1, 3 * units], 4)],
      ]),
    });
    expect(() => onnxToKeras(peepholes, model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        message: expect.stringContaining('peepholes'),
      }),
    );
  });

  it('refuses a direction the tfjs layer does not run', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({ inputShape: [steps, features], units, recurrentActivation: 'sigmoid' }),
      ],
    });
    expect(() =>
      onnxToKeras(recurrentModel('LSTM', { direction: 'bidirectional' }), model),
    ).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_LAYER_MISMATCH',
        message: expect.stringContaining('"bidirectional"'),
      }),
    );
  });

  it('refuses a unit count that does not fit, naming the tensors', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({
          inputShape: [steps, features],
          units: units + 1,
          recurrentActivation: 'sigmoid',
        }),
      ],
    });
    expect(() => onnxToKeras(recurrentModel('LSTM'), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_SHAPE_MISMATCH',
        tensor: 'lstm/kernel',
        message: expect.stringContaining(
          '"rnn.W" [1,16,3] ([dirs,G*h,in]) gives [3,16], but "lstm/kernel" is [3,20]',
        ),
      }),
    );
  });
});
