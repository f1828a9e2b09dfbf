import { readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxToKeras } from '../../src/mapping/index.js';
import { buildOnnxModel, maxAbsDiff, randomValues, runOnnx, weight } from './onnx-test-graph.js';

// A PyTorch Linear on a 3-D input exports as MatMul (weight stored [in,out]) + Add:
// x [N, T, 6] -> Linear(6, 8) -> Relu -> LayerNorm(8) -> Linear(8, 3).
function sequenceBlock(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 4, 6] }],
    outputs: [{ name: 'y', shape: ['N', 4, 3] }],
    nodes: [
      { op: 'MatMul', name: '/up/MatMul', inputs: ['x', 'onnx::MatMul_1'], outputs: ['u'] },
      { op: 'Add', name: '/up/Add', inputs: ['up.bias', 'u'], outputs: ['ub'] },
      { op: 'Relu', inputs: ['ub'], outputs: ['r'] },
      {
        op: 'LayerNormalization',
        name: '/norm/LayerNormalization',
        inputs: ['r', 'norm.weight', 'norm.bias'],
        outputs: ['n'],
        attributes: { axis: -1, epsilon: { float: 1e-5 } },
      },
      { op: 'MatMul', name: '/down/MatMul', inputs: ['n', 'onnx::MatMul_2'], outputs: ['d'] },
      { op: 'Add', name: '/down/Add', inputs: ['d', 'down.bias'], outputs: ['y'] },
    ],
    initializers: new Map([
      ['onnx::MatMul_1', weight([6, 8], 81)],
      ['up.bias', weight([8], 82)],
      ['norm.weight', weight([8], 83)],
      ['norm.bias', weight([8], 84)],
      ['onnx::MatMul_2', weight([8, 3], 85)],
      ['down.bias', weight([3], 86)],
    ]),
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch-style sequence block into tfjs (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it('maps MatMul+Add (3-D Linear), LayerNormalization and TimeDistributed(Dense), matching ORT within 1e-5', async () => {
      const bytes = sequenceBlock();
      const x = randomValues(2 * 4 * 6, 87, 2);
      const expected = (await runOnnx(bytes, { x: { data: x, dims: [2, 4, 6] } })).y!.data;
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [4, 6], units: 8, activation: 'relu' }),
          tf.layers.layerNormalization({ epsilon: 1e-5 }),
          tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }),
        ],
      });
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
        mapping: onnxToKeras(bytes, model),
      });
      expect(
        report.mapping.map((step) => `${step.from.join('+')} -> ${step.to}: ${step.transform}`),
      ).toEqual([
        'onnx::MatMul_1 -> dense/kernel: rename',
        'up.bias -> dense/bias: rename',
        'norm.weight -> layer_normalization/gamma: check epsilon: source 0.00001 = target 0.00001',
        'norm.weight -> layer_normalization/gamma: rename',
        'norm.bias -> layer_normalization/beta: rename',
        'onnx::MatMul_2 -> time_distributed/kernel: rename',
        'down.bias -> time_distributed/bias: rename',
      ]);
      const input = tf.tensor3d(x, [2, 4, 6]);
      const output = model.predict(input) as tf.Tensor;
      expect(maxAbsDiff((await output.data()) as Float32Array, expected)).toBeLessThanOrEqual(1e-5);
      tf.dispose([input, output]);
      model.dispose();
    });
  });
}
