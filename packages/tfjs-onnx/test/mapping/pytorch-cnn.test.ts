import { readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxToKeras } from '../../src/mapping/index.js';
import {
  buildOnnxModel,
  maxAbsDiff,
  nchwToNhwc,
  randomValues,
  runOnnx,
  weight,
} from './onnx-test-graph.js';

// A PyTorch-style CNN as torch.onnx.export writes it: NCHW, Conv OIHW, BatchNormalization
// (eps 1e-5), Relu, Flatten (channels first), Gemm transB=1 ([out,in]), and a square
// Gemm transB=1 (the case a shape-only copy gets silently wrong).
const batch = 2;
const channels = 3;
const size = 6;
const filters = 4;
const hidden = 5;

function pytorchCnn(epsilon = 1e-5): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', channels, size, size] }],
    outputs: [{ name: 'y', shape: ['N', hidden] }],
    nodes: [
      {
        op: 'Conv',
        name: '/conv/Conv',
        inputs: ['x', 'conv.weight', 'conv.bias'],
        outputs: ['c'],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] },
      },
      {
        op: 'BatchNormalization',
        name: '/bn/BatchNormalization',
        inputs: ['c', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'],
        outputs: ['b'],
        attributes: { epsilon: { float: epsilon } },
      },
      { op: 'Relu', inputs: ['b'], outputs: ['r'] },
      { op: 'Flatten', inputs: ['r'], outputs: ['f'], attributes: { axis: 1 } },
      {
        op: 'Gemm',
        name: '/fc1/Gemm',
        inputs: ['f', 'fc1.weight', 'fc1.bias'],
        outputs: ['h'],
        attributes: { transB: 1 },
      },
      { op: 'Relu', inputs: ['h'], outputs: ['hr'] },
      {
        op: 'Gemm',
        name: '/fc2/Gemm',
        inputs: ['hr', 'fc2.weight', 'fc2.bias'],
        outputs: ['y'],
        attributes: { transB: 1 },
      },
    ],
    initializers: new Map([
      ['conv.weight', weight([filters, channels, 3, 3], 1)],
      ['conv.bias', weight([filters], 2)],
      ['bn.weight', weight([filters], 3)],
      ['bn.bias', weight([filters], 4)],
      ['bn.running_mean', weight([filters], 5, 0.2)],
      // variances small and large, so a wrong epsilon would show
      ['bn.running_var', { shape: [filters], values: Float32Array.from([1e-4, 0.02, 0.7, 2.5]) }],
      ['fc1.weight', weight([hidden, filters * size * size], 6, 0.1)],
      ['fc1.bias', weight([hidden], 7)],
      ['fc2.weight', weight([hidden, hidden], 8)],
      ['fc2.bias', weight([hidden], 9)],
    ]),
  });
}

function kerasCnn(epsilon = 1e-5): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [size, size, channels],
        filters,
        kernelSize: 3,
        padding: 'same',
      }),
      tf.layers.batchNormalization({ epsilon }),
      tf.layers.reLU(),
      tf.layers.flatten(),
      tf.layers.dense({ units: hidden, activation: 'relu' }),
      tf.layers.dense({ units: hidden }),
    ],
  });
}

const inputNchw = randomValues(batch * channels * size * size, 42, 2);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch-style CNN into tfjs (${backend})`, () => {
    let onnxBytes: Uint8Array;
    let expected: Float32Array;

    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
      onnxBytes = pytorchCnn();
      const result = await runOnnx(onnxBytes, {
        x: { data: inputNchw, dims: [batch, channels, size, size] },
      });
      expected = result.y!.data;
    });

    async function predict(model: tf.LayersModel): Promise<Float32Array> {
      const input = tf.tensor4d(nchwToNhwc(inputNchw, [batch, channels, size, size]), [
        batch,
        size,
        size,
        channels,
      ]);
      const output = model.predict(input) as tf.Tensor;
      const data = (await output.data()) as Float32Array;
      tf.dispose([input, output]);
      return data;
    }

    it('loads through the preset and matches ORT within 1e-5', async () => {
      const model = kerasCnn();
      const mapping = onnxToKeras(onnxBytes, model);
      expect(mapping.pairs).toEqual([
        { onnx: '/conv/Conv', keras: 'conv2d' },
        { onnx: '/bn/BatchNormalization', keras: 'batch_normalization' },
        { onnx: '/fc1/Gemm', keras: 'dense' },
        { onnx: '/fc2/Gemm', keras: 'dense_1' },
      ]);
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(onnxBytes), {
        mapping,
      });
      expect(report.loaded).toHaveLength(10);
      const steps = new Map(
        report.mapping.map((step) => [`${step.from.join('+')}->${step.to}`, step.transform]),
      );
      expect(steps.get('conv.weight->conv2d/kernel')).toBe('transpose [2,3,1,0] (OIkk -> kkIO)');
      expect(steps.get('fc1.weight->dense/kernel')).toBe(
        'transpose [1,0] ([out,in] -> [in,out]), then reorder flattened input rows channels-first -> channels-last ([4,6,6] -> [6,6,4])',
      );
      expect(steps.get('fc2.weight->dense_1/kernel')).toBe(
        'transpose [1,0] ([out,in] -> [in,out])',
      );
      expect(steps.get('bn.bias->batch_normalization/beta')).toBe('rename');
      expect(report.mapping).toContainEqual({
        from: ['bn.weight'],
        to: 'batch_normalization/gamma',
        transform: 'check epsilon: source 0.00001 = target 0.00001',
      });
      const actual = await predict(model);
      expect(actual).toHaveLength(batch * hidden);
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });

    it('differs from ORT without the flatten reorder (the reorder is needed, not luck)', async () => {
      const model = kerasCnn();
      await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(onnxBytes), {
        mapping: onnxToKeras(onnxBytes, model, { flatten: 'keep' }),
      });
      expect(maxAbsDiff(await predict(model), expected)).toBeGreaterThan(1e-2);
      model.dispose();
    });

    it('refuses a Keras epsilon that differs, and folds it into gamma on request', async () => {
      const model = kerasCnn(1e-3);
      expect(() => onnxToKeras(onnxBytes, model)).toThrowError(
        expect.objectContaining({
          code: 'MAPPING_EPSILON_MISMATCH',
          tensor: 'batch_normalization/gamma',
        }),
      );
      const mapping = onnxToKeras(onnxBytes, model, { epsilon: 'fold' });
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(onnxBytes), {
        mapping,
      });
      expect(report.mapping).toContainEqual({
        from: ['bn.weight', 'bn.running_var'],
        to: 'batch_normalization/gamma',
        transform: 'fold epsilon 0.00001 -> 0.001 into gamma',
      });
      expect(maxAbsDiff(await predict(model), expected)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    });

    it("records a warning step with epsilon 'warn', and the outputs then differ", async () => {
      const model = kerasCnn(1e-3);
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(onnxBytes), {
        mapping: onnxToKeras(onnxBytes, model, { epsilon: 'warn' }),
      });
      expect(report.mapping.map((step) => step.transform)).toContain(
        'epsilon differs: source 0.00001, target 0.001 (outputs will differ)',
      );
      expect(maxAbsDiff(await predict(model), expected)).toBeGreaterThan(1e-3);
      model.dispose();
    });
  });
}
