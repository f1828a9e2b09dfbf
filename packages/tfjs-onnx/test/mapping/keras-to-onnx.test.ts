import { encodeOnnxModel, readOnnxCheckpoint, writeOnnx } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasToOnnx, onnxToKeras } from '../../src/mapping/index.js';
import {
  buildOnnxModel,
  maxAbsDiff,
  nchwToNhwc,
  randomValues,
  runOnnx,
  weight,
} from './onnx-test-graph.js';

// Conv OIHW + BatchNormalization + depthwise Conv + Flatten + Gemm transB=1, NCHW.
function cnn(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 2, 5, 5] }],
    outputs: [{ name: 'y', shape: ['N', 3] }],
    nodes: [
      {
        op: 'Conv',
        name: 'conv',
        inputs: ['x', 'conv.weight', 'conv.bias'],
        outputs: ['c'],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
      },
      {
        op: 'BatchNormalization',
        name: 'bn',
        inputs: ['c', 'bn.weight', 'bn.bias', 'bn.mean', 'bn.var'],
        outputs: ['b'],
        attributes: { epsilon: { float: 1e-5 } },
      },
      {
        op: 'Conv',
        name: 'dw',
        inputs: ['b', 'dw.weight', 'dw.bias'],
        outputs: ['d'],
        attributes: { kernel_shape: [3, 3], group: 4 },
      },
      { op: 'Flatten', inputs: ['d'], outputs: ['f'], attributes: { axis: 1 } },
      {
        op: 'Gemm',
        name: 'fc',
        inputs: ['f', 'fc.weight', 'fc.bias'],
        outputs: ['y'],
        attributes: { transB: 1 },
      },
    ],
    initializers: new Map([
      ['conv.weight', weight([4, 2, 3, 3], 41)],
      ['conv.bias', weight([4], 42)],
      ['bn.weight', weight([4], 43)],
      ['bn.bias', weight([4], 44)],
      ['bn.mean', weight([4], 45, 0.1)],
      ['bn.var', { shape: [4], values: Float32Array.from([0.001, 0.1, 1, 3]) }],
      ['dw.weight', weight([8, 1, 3, 3], 46)],
      ['dw.bias', weight([8], 47)],
      ['fc.weight', weight([3, 8 * 3 * 3], 48, 0.2)],
      ['fc.bias', weight([3], 49)],
    ]),
  });
}

function kerasCnn(epsilon: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.batchNormalization({ epsilon }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

function bytesOf(checkpoint: Awaited<ReturnType<typeof readOnnxCheckpoint>>) {
  return new Map([...checkpoint.tensors].map(([name, tensor]) => [name, Array.from(tensor.data)]));
}

function floats(data: Uint8Array): Float32Array {
  return new Float32Array(data.slice().buffer);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('kerasToOnnx', () => {
  it('undoes onnxToKeras bit for bit: ONNX -> tfjs -> ONNX gives the same initializers', async () => {
    const bytes = cnn();
    const original = await readOnnxCheckpoint(bytes);
    const model = kerasCnn(1e-5);
    const adapter = tfjsCheckpoint(tf);
    await adapter.write(model, original, { mapping: onnxToKeras(bytes, model) });
    const specs = new Map(
      [...original.tensors].map(([name, t]) => [name, { dtype: t.dtype, shape: t.shape }]),
    );
    const back = kerasToOnnx(bytes, model).map(await adapter.read(model), specs);
    expect(bytesOf(back.checkpoint)).toEqual(bytesOf(original));
    const steps = new Map(back.steps.map((step) => [step.to, step.transform]));
    expect(steps.get('conv.weight')).toBe('transpose [3,2,0,1] (kkIO -> OIkk)');
    expect(steps.get('dw.weight')).toBe(
      'depthwise [kh,kw,C,m] -> [C*m,1,kh,kw] (transpose [2,3,0,1], then reshape [8,1,3,3])',
    );
    expect(steps.get('fc.weight')).toBe(
      'reorder flattened input rows channels-last -> channels-first ([3,3,8] -> [8,3,3]), then transpose [1,0] ([in,out] -> [out,in])',
    );
    model.dispose();
  });

  it('undoes an epsilon fold (to float32 rounding) and the written ONNX model matches tfjs within 1e-5', async () => {
    const bytes = cnn();
    const original = await readOnnxCheckpoint(bytes);
    const model = kerasCnn(1e-3);
    const adapter = tfjsCheckpoint(tf);
    await adapter.write(model, original, {
      mapping: onnxToKeras(bytes, model, { epsilon: 'fold' }),
    });
    const checkpoint = await adapter.read(model);
    const mapping = kerasToOnnx(bytes, model, { epsilon: 'fold' });
    const written = encodeOnnxModel(await writeOnnx(bytes, checkpoint, { mapping }));
    const restored = await readOnnxCheckpoint(written);
    const scaleBefore = floats(original.tensors.get('bn.weight')!.data);
    const scaleAfter = floats(restored.tensors.get('bn.weight')!.data);
    expect(maxAbsDiff(scaleAfter, scaleBefore)).toBeLessThan(1e-6);
    const x = randomValues(2 * 2 * 5 * 5, 50, 2);
    const expected = (await runOnnx(written, { x: { data: x, dims: [2, 2, 5, 5] } })).y!.data;
    const input = tf.tensor4d(nchwToNhwc(x, [2, 2, 5, 5]), [2, 5, 5, 2]);
    const output = model.predict(input) as tf.Tensor;
    expect(maxAbsDiff((await output.data()) as Float32Array, expected)).toBeLessThanOrEqual(1e-5);
    tf.dispose([input, output]);
    model.dispose();
  });
});

// ONNX graph shells for tfjs-made recurrent weights: x [N, T, F] -> Transpose -> RNN -> y_h.
function recurrentShell(op: 'LSTM' | 'GRU', direction: string): Uint8Array {
  const gates = op === 'LSTM' ? 4 : 3;
  const dirs = direction === 'bidirectional' ? 2 : 1;
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 5, 3] }],
    outputs: [{ name: 'y_h', shape: [dirs, 'N', 4] }],
    nodes: [
      { op: 'Transpose', inputs: ['x'], outputs: ['t'], attributes: { perm: [1, 0, 2] } },
      {
        op,
        name: 'rnn',
        inputs: ['t', 'W', 'R', 'B'],
        outputs: ['', 'y_h'],
        attributes: { hidden_size: 4, direction },
      },
    ],
    initializers: new Map([
      ['W', weight([dirs, gates * 4, 3], 1)],
      ['R', weight([dirs, gates * 4, 4], 2)],
      ['B', weight([dirs, 2 * gates * 4], 3)],
    ]),
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`tfjs recurrent weights into a PyTorch-style ONNX graph (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it.each([
      ['LSTM', 'bidirectional'],
      ['LSTM', 'forward'],
      ['GRU', 'forward'],
    ] as const)(
      '%s %s: ORT on the written model matches tfjs within 1e-5',
      async (op, direction) => {
        const cell = () =>
          op === 'LSTM'
            ? tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' })
            : tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid' });
        const model = tf.sequential({
          layers: [
            direction === 'bidirectional'
              ? tf.layers.bidirectional({
                  inputShape: [5, 3],
                  layer: cell() as tf.RNN,
                  mergeMode: 'concat',
                })
              : op === 'LSTM'
                ? tf.layers.lstm({ inputShape: [5, 3], units: 4, recurrentActivation: 'sigmoid' })
                : tf.layers.gru({ inputShape: [5, 3], units: 4, recurrentActivation: 'sigmoid' }),
          ],
        });
        // Seeded weights, biases included (tfjs would start them at zero).
        model.setWeights(
          model.weights.map((w, i) => {
            const shape = w.shape as number[];
            return tf.tensor(
              randomValues(
                shape.reduce((a, b) => a * b, 1),
                60 + i,
              ),
              shape,
            );
          }),
        );
        const shell = recurrentShell(op, direction);
        const checkpoint = await tfjsCheckpoint(tf).read(model);
        const written = encodeOnnxModel(
          await writeOnnx(shell, checkpoint, { mapping: kerasToOnnx(shell, model) }),
        );
        const x = randomValues(2 * 5 * 3, 70, 1.5);
        const yh = (await runOnnx(written, { x: { data: x, dims: [2, 5, 3] } })).y_h!.data;
        const expected =
          direction === 'bidirectional'
            ? Float32Array.from([
                ...yh.subarray(0, 4),
                ...yh.subarray(8, 12),
                ...yh.subarray(4, 8),
                ...yh.subarray(12, 16),
              ])
            : yh;
        const input = tf.tensor3d(x, [2, 5, 3]);
        const output = model.predict(input) as tf.Tensor;
        expect(maxAbsDiff((await output.data()) as Float32Array, expected)).toBeLessThanOrEqual(
          1e-5,
        );
        tf.dispose([input, output]);
        model.dispose();
      },
    );
  });
}

describe('kerasToOnnx: PReLU alpha back into a per-channel slope', () => {
  const shell = () =>
    buildOnnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 4, 4] }],
      outputs: [{ name: 'y', shape: ['N', 3, 4, 4] }],
      nodes: [
        {
          op: 'Conv',
          name: 'mix',
          inputs: ['x', 'mix.weight'],
          outputs: ['c'],
          attributes: { kernel_shape: [1, 1] },
        },
        { op: 'PRelu', name: 'act', inputs: ['c', 'act.weight'], outputs: ['y'] },
      ],
      initializers: new Map([
        ['mix.weight', weight([3, 3, 1, 1], 1)],
        ['act.weight', weight([3, 1, 1], 2)],
      ]),
    });
  const model = (sharedAxes?: number[]) =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 3, kernelSize: 1, useBias: false }),
        tf.layers.prelu(sharedAxes === undefined ? {} : { sharedAxes }),
      ],
    });

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes a shared alpha as the slope, and ORT then matches tfjs within 1e-5', async () => {
    const tfjsModel = model([1, 2]);
    tfjsModel.setWeights([
      tf.tensor(randomValues(9, 90), [1, 1, 3, 3]),
      tf.tensor(Float32Array.from([0.1, -0.3, 0.7]), [1, 1, 3]),
    ]);
    const written = encodeOnnxModel(
      await writeOnnx(shell(), await tfjsCheckpoint(tf).read(tfjsModel), {
        mapping: kerasToOnnx(shell(), tfjsModel),
      }),
    );
    const x = randomValues(2 * 3 * 4 * 4, 91, 2);
    const expected = (await runOnnx(written, { x: { data: x, dims: [2, 3, 4, 4] } })).y!.data;
    const input = tf.tensor4d(nchwToNhwc(x, [2, 3, 4, 4]), [2, 4, 4, 3]);
    const output = tfjsModel.predict(input) as tf.Tensor;
    expect(
      maxAbsDiff(nchwToNhwc(expected, [2, 3, 4, 4]), (await output.data()) as Float32Array),
    ).toBeLessThanOrEqual(1e-5);
    tf.dispose([input, output]);
  });

  it('refuses an unshared alpha that differs between positions', async () => {
    const tfjsModel = model();
    tfjsModel.setWeights([
      tf.tensor(randomValues(9, 92), [1, 1, 3, 3]),
      tf.tensor(randomValues(48, 93), [4, 4, 3]),
    ]);
    const checkpoint = await tfjsCheckpoint(tf).read(tfjsModel);
    expect(() => kerasToOnnx(shell(), tfjsModel).map(checkpoint, new Map())).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_SHAPE_MISMATCH',
        message: expect.stringContaining('differs between positions'),
      }),
    );
  });
});

describe('kerasToOnnx: SeparableConv2D back into depthwise + 1x1 Conv', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('writes both convolutions (depthwise bias zero, whole bias on the 1x1), and ORT matches tfjs within 1e-5', async () => {
    const shell = buildOnnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 6, 6] }],
      outputs: [{ name: 'y', shape: ['N', 5, 6, 6] }],
      nodes: [
        {
          op: 'Conv',
          name: 'depth',
          inputs: ['x', 'dw', 'db'],
          outputs: ['d'],
          attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 3 },
        },
        {
          op: 'Conv',
          name: 'point',
          inputs: ['d', 'pw', 'pb'],
          outputs: ['y'],
          attributes: { kernel_shape: [1, 1] },
        },
      ],
      initializers: new Map([
        ['dw', weight([6, 1, 3, 3], 1)],
        ['db', weight([6], 2)],
        ['pw', weight([5, 6, 1, 1], 3)],
        ['pb', weight([5], 4)],
      ]),
    });
    const model = tf.sequential({
      layers: [
        tf.layers.separableConv2d({
          inputShape: [6, 6, 3],
          filters: 5,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
        }),
      ],
    });
    model.setWeights(
      model.weights.map((w, i) => {
        const shape = w.shape as number[];
        return tf.tensor(
          randomValues(
            shape.reduce((a, b) => a * b, 1),
            100 + i,
          ),
          shape,
        );
      }),
    );
    const written = encodeOnnxModel(
      await writeOnnx(shell, await tfjsCheckpoint(tf).read(model), {
        mapping: kerasToOnnx(shell, model),
      }),
    );
    const restored = await readOnnxCheckpoint(written);
    expect(Array.from(floats(restored.tensors.get('db')!.data))).toEqual([0, 0, 0, 0, 0, 0]);
    const x = randomValues(2 * 3 * 6 * 6, 101, 2);
    const expected = (await runOnnx(written, { x: { data: x, dims: [2, 3, 6, 6] } })).y!.data;
    const input = tf.tensor4d(nchwToNhwc(x, [2, 3, 6, 6]), [2, 6, 6, 3]);
    const output = model.predict(input) as tf.Tensor;
    expect(
      maxAbsDiff(nchwToNhwc(expected, [2, 5, 6, 6]), (await output.data()) as Float32Array),
    ).toBeLessThanOrEqual(1e-5);
    tf.dispose([input, output]);
    model.dispose();
  });
});
