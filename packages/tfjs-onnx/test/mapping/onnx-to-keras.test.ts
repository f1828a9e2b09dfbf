import { decodeOnnxModel, readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeOnnxGraph, onnxToKeras, onnxWeightedNodes } from '../../src/mapping/index.js';
import {
  buildOnnxModel,
  maxAbsDiff,
  type NodeSpec,
  randomValues,
  runOnnx,
  weight,
} from './onnx-test-graph.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function linear(
  nodes: NodeSpec[],
  initializers: Array<[string, { shape: readonly number[]; values: Float32Array }]>,
) {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 3] }],
    outputs: [{ name: 'y', shape: ['N', 3] }],
    nodes,
    initializers: new Map(initializers),
  });
}

function floats(tensor: { data: Uint8Array }): number[] {
  const copy = tensor.data.slice();
  return Array.from(new Float32Array(copy.buffer));
}

function mlp(units: number[], inputSize = 3): tf.Sequential {
  return tf.sequential({
    layers: units.map((count, index) =>
      tf.layers.dense({ units: count, ...(index === 0 ? { inputShape: [inputSize] } : {}) }),
    ),
  });
}

describe('onnxToKeras: Dense layouts', () => {
  it('transposes a square Gemm transB=1 weight and copies a transB=0 one, by the graph, not the shape', async () => {
    const w1 = weight([3, 3], 1);
    const w2 = weight([3, 3], 2);
    const bytes = linear(
      [
        {
          op: 'Gemm',
          name: 'a',
          inputs: ['x', 'a.weight', 'a.bias'],
          outputs: ['h'],
          attributes: { transB: 1 },
        },
        { op: 'Gemm', name: 'b', inputs: ['h', 'b.weight'], outputs: ['y'] },
      ],
      [
        ['a.weight', w1],
        ['a.bias', weight([3], 3)],
        ['b.weight', w2],
      ],
    );
    const model = mlp([3, 3]);
    const mapping = onnxToKeras(bytes, model);
    const result = mapping.map(
      await readOnnxCheckpoint(bytes),
      tfjsCheckpoint(tf).expectedTensors(model),
    );
    const kernelA = floats(result.checkpoint.tensors.get('dense/kernel')!);
    // kernel[i][o] = weight[o][i]
    for (let i = 0; i < 3; i++)
      for (let o = 0; o < 3; o++) expect(kernelA[i * 3 + o]).toBe(w1.values[o * 3 + i]);
    expect(floats(result.checkpoint.tensors.get('dense_1/kernel')!)).toEqual(Array.from(w2.values));
    expect(floats(result.checkpoint.tensors.get('dense_1/bias')!)).toEqual([0, 0, 0]);
    expect(result.steps.map((step) => `${step.to}: ${step.transform}`)).toEqual([
      'dense/kernel: transpose [1,0] ([out,in] -> [in,out])',
      'dense/bias: rename',
      'dense_1/kernel: rename',
      'dense_1/bias: zeros [3] (the ONNX node has no bias)',
    ]);
  });

  it('reads MatMul + Add (a Linear on 3-D input) as one Dense, and follows Cast, Identity and Transpose', () => {
    const bytes = linear(
      [
        { op: 'Cast', inputs: ['mm.weight'], outputs: ['mm.cast'], attributes: { to: 1 } },
        { op: 'MatMul', name: 'mm', inputs: ['x', 'mm.cast'], outputs: ['m'] },
        { op: 'Add', inputs: ['m', 'mm.bias'], outputs: ['h'] },
        { op: 'Identity', inputs: ['t.weight'], outputs: ['t.id'] },
        { op: 'Transpose', inputs: ['t.id'], outputs: ['t.tr'], attributes: { perm: [1, 0] } },
        { op: 'MatMul', name: 'mt', inputs: ['h', 't.tr'], outputs: ['y'] },
      ],
      [
        ['mm.weight', weight([3, 4], 4)],
        ['mm.bias', weight([4], 5)],
        ['t.weight', weight([2, 4], 6)],
      ],
    );
    const nodes = onnxWeightedNodes(describeOnnxGraph(bytes));
    expect(
      nodes.map((entry) => ({
        name: entry.node.name,
        roles: [...entry.weights.keys()],
        outputMajor: entry.outputMajor,
      })),
    ).toEqual([
      { name: 'mm', roles: ['weight', 'bias'], outputMajor: false },
      { name: 'mt', roles: ['weight'], outputMajor: true },
    ]);
    const mapping = onnxToKeras(bytes, mlp([4, 2]));
    expect(mapping.pairs).toEqual([
      { onnx: 'mm', keras: 'dense' },
      { onnx: 'mt', keras: 'dense_1' },
    ]);
  });

  it('refuses a Gemm whose weight is computed (its layout is unknowable)', () => {
    const bytes = linear(
      [
        { op: 'Relu', inputs: ['w'], outputs: ['wr'] },
        { op: 'Gemm', name: 'g', inputs: ['x', 'wr'], outputs: ['y'], attributes: { transB: 1 } },
      ],
      [['w', weight([3, 3], 7)]],
    );
    expect(() => onnxToKeras(bytes, mlp([3]))).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNRESOLVED_WEIGHT',
        tensor: 'wr',
        origin: 'tfjs-onnx',
      }),
    );
  });

  it('refuses Gemm alpha/transA and shapes that do not fit, naming node, layer and tensors', () => {
    const scaled = linear(
      [
        {
          op: 'Gemm',
          name: 'g',
          inputs: ['x', 'w'],
          outputs: ['y'],
          attributes: { alpha: { float: 0.5 } },
        },
      ],
      [['w', weight([3, 3], 8)]],
    );
    expect(() => onnxToKeras(scaled, mlp([3]))).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        message: expect.stringContaining('alpha=0.5'),
      }),
    );
    const wide = linear(
      [{ op: 'Gemm', name: 'g', inputs: ['x', 'w'], outputs: ['y'], attributes: { transB: 1 } }],
      [['w', weight([5, 3], 9)]],
    );
    expect(() => onnxToKeras(wide, mlp([4]))).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_SHAPE_MISMATCH',
        tensor: 'dense/kernel',
        message: expect.stringContaining(
          'Gemm "g" -> Dense "dense": initializer "w" [5,3] ([out,in]) gives [3,5], but "dense/kernel" is [3,4]',
        ),
      }),
    );
  });
});

describe('onnxToKeras: flatten order', () => {
  // Flatten of the model input [N, 4, 5]: PyTorch and Keras see the same layout, so 'auto'
  // must not reorder (its last axis is not channels); 'always' would.
  const bytes = buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 4, 5] }],
    outputs: [{ name: 'y', shape: ['N', 3] }],
    nodes: [
      { op: 'Flatten', inputs: ['x'], outputs: ['f'], attributes: { axis: 1 } },
      {
        op: 'Gemm',
        name: 'fc',
        inputs: ['f', 'fc.weight', 'fc.bias'],
        outputs: ['y'],
        attributes: { transB: 1 },
      },
    ],
    initializers: new Map([
      ['fc.weight', weight([3, 20], 20)],
      ['fc.bias', weight([3], 21)],
    ]),
  });
  const model = () =>
    tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [4, 5] }), tf.layers.dense({ units: 3 })],
    });

  it('does not reorder a Flatten of the model input, and matches ORT within 1e-5', async () => {
    const x = randomValues(2 * 20, 22, 1);
    const expected = (await runOnnx(bytes, { x: { data: x, dims: [2, 4, 5] } })).y!;
    const tfjsModel = model();
    const report = await tfjsCheckpoint(tf).write(tfjsModel, await readOnnxCheckpoint(bytes), {
      mapping: onnxToKeras(bytes, tfjsModel),
    });
    expect(report.mapping[0]!.transform).toBe('transpose [1,0] ([out,in] -> [in,out])');
    const input = tf.tensor3d(x, [2, 4, 5]);
    const output = tfjsModel.predict(input) as tf.Tensor;
    expect(maxAbsDiff((await output.data()) as Float32Array, expected.data)).toBeLessThanOrEqual(
      1e-5,
    );
    tf.dispose([input, output]);
  });

  it("reorders it with flatten: 'always'", async () => {
    const tfjsModel = model();
    const result = onnxToKeras(bytes, tfjsModel, { flatten: 'always' }).map(
      await readOnnxCheckpoint(bytes),
      tfjsCheckpoint(tf).expectedTensors(tfjsModel),
    );
    expect(result.steps[0]!.transform).toBe(
      'transpose [1,0] ([out,in] -> [in,out]), then reorder flattened input rows channels-first -> channels-last ([5,4] -> [4,5])',
    );
  });
});

describe('onnxToKeras: pairing', () => {
  const twoLayers = () =>
    linear(
      [
        {
          op: 'Gemm',
          name: 'first',
          inputs: ['x', 'w1'],
          outputs: ['h'],
          attributes: { transB: 1 },
        },
        {
          op: 'Gemm',
          name: 'second',
          inputs: ['h', 'w2'],
          outputs: ['y'],
          attributes: { transB: 1 },
        },
      ],
      [
        ['w1', weight([4, 3], 10)],
        ['w2', weight([2, 4], 11)],
      ],
    );

  it('lists both sides when the counts differ', () => {
    expect(() => onnxToKeras(twoLayers(), mlp([4]))).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_LAYER_COUNT_MISMATCH',
        message: expect.stringContaining(
          'ONNX: Gemm "first", Gemm "second"\n  tfjs: Dense "dense"',
        ),
      }),
    );
  });

  it('refuses a layer class that cannot take the node', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.batchNormalization()],
    });
    expect(() => onnxToKeras(twoLayers(), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_LAYER_MISMATCH',
        message: expect.stringContaining(
          'Gemm "second" -> BatchNormalization "batch_normalization"',
        ),
      }),
    );
  });

  it('pairs explicitly named layers first and the rest in order, into nested models', async () => {
    // tfjs model with the two Dense layers in the other order, inside a nested model.
    const input = tf.input({ shape: [3] });
    const inner = tf.sequential({
      name: 'encoder',
      layers: [tf.layers.dense({ units: 4, inputShape: [3], name: 'hidden' })],
    });
    const out = tf.layers
      .dense({ units: 2, name: 'head' })
      .apply(inner.apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const mapping = onnxToKeras(twoLayers(), model, { layers: { second: 'head' } });
    expect(mapping.pairs).toEqual([
      { onnx: 'first', keras: 'encoder/hidden' },
      { onnx: 'second', keras: 'head' },
    ]);
    // The same from a decoded model (an OnnxModel of @reprokit/onnxruntime) as from bytes.
    const loaded = decodeOnnxModel(twoLayers());
    expect(onnxToKeras(loaded, model, { layers: { second: 'head' } }).pairs).toEqual(mapping.pairs);
    expect(onnxToKeras(loaded.proto, model, { layers: { second: 'head' } }).pairs).toEqual(
      mapping.pairs,
    );
    expect(() => onnxToKeras(twoLayers(), model, { layers: { third: 'head' } })).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNKNOWN_LAYER',
        message: expect.stringContaining('"third"'),
      }),
    );
  });
});

describe('onnxToKeras: convolution and normalisation checks', () => {
  function conv(group: number, weightShape: number[]) {
    return buildOnnxModel({
      inputs: [{ name: 'x', shape: ['N', 4, 5, 5] }],
      outputs: [{ name: 'y', shape: ['N', 4, 3, 3] }],
      nodes: [{ op: 'Conv', name: 'c', inputs: ['x', 'w'], outputs: ['y'], attributes: { group } }],
      initializers: new Map([['w', weight(weightShape, 12)]]),
    });
  }

  it('refuses grouped convolutions tfjs cannot run, and depthwise weights of the wrong shape', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [5, 5, 4], filters: 4, kernelSize: 3, useBias: false }),
      ],
    });
    expect(() => onnxToKeras(conv(2, [4, 2, 3, 3]), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        message: expect.stringContaining('group=2'),
      }),
    );
    const depthwise = tf.sequential({
      layers: [tf.layers.depthwiseConv2d({ inputShape: [5, 5, 4], kernelSize: 3, useBias: false })],
    });
    expect(() => onnxToKeras(conv(2, [4, 2, 3, 3]), depthwise)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_SHAPE_MISMATCH',
        tensor: 'depthwise_conv2d/depthwise_kernel',
      }),
    );
    expect(onnxToKeras(conv(4, [4, 1, 3, 3]), depthwise).pairs).toEqual([
      { onnx: 'c', keras: 'depthwise_conv2d' },
    ]);
  });

  it('maps LayerNormalization with its epsilon checked, and refuses to fold it', async () => {
    const bytes = buildOnnxModel({
      inputs: [{ name: 'x', shape: ['N', 6] }],
      outputs: [{ name: 'y', shape: ['N', 6] }],
      nodes: [
        {
          op: 'LayerNormalization',
          name: 'ln',
          inputs: ['x', 'ln.weight', 'ln.bias'],
          outputs: ['y'],
          attributes: { epsilon: { float: 1e-5 } },
        },
      ],
      initializers: new Map([
        ['ln.weight', weight([6], 13)],
        ['ln.bias', weight([6], 14)],
      ]),
    });
    const matching = tf.sequential({
      layers: [tf.layers.layerNormalization({ inputShape: [6], epsilon: 1e-5 })],
    });
    const result = onnxToKeras(bytes, matching).map(
      await readOnnxCheckpoint(bytes),
      tfjsCheckpoint(tf).expectedTensors(matching),
    );
    expect(result.steps.map((step) => `${step.to}: ${step.transform}`)).toEqual([
      'layer_normalization/gamma: check epsilon: source 0.00001 = target 0.00001',
      'layer_normalization/gamma: rename',
      'layer_normalization/beta: rename',
    ]);
    const other = tf.sequential({ layers: [tf.layers.layerNormalization({ inputShape: [6] })] });
    expect(() => onnxToKeras(bytes, other, { epsilon: 'fold' })).toThrowError(
      expect.objectContaining({ code: 'MAPPING_EPSILON_MISMATCH' }),
    );
  });

  it('refuses weighted layers and nodes it cannot map instead of dropping their weights', () => {
    const instanceNorm = buildOnnxModel({
      inputs: [{ name: 'x', shape: ['N', 3, 4] }],
      outputs: [{ name: 'y', shape: ['N', 3, 4] }],
      nodes: [
        {
          op: 'InstanceNormalization',
          name: 'in',
          inputs: ['x', 'in.weight', 'in.bias'],
          outputs: ['y'],
        },
      ],
      initializers: new Map([
        ['in.weight', weight([3], 15)],
        ['in.bias', weight([3], 16)],
      ]),
    });
    expect(() => onnxToKeras(instanceNorm, mlp([3]))).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_NODE',
        message: expect.stringContaining('InstanceNormalization "in"'),
      }),
    );
    const recurrent = tf.sequential({
      layers: [tf.layers.simpleRNN({ inputShape: [2, 3], units: 3 })],
    });
    expect(() => onnxToKeras(conv(4, [4, 1, 3, 3]), recurrent)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_UNSUPPORTED_LAYER',
        message: expect.stringContaining('SimpleRNN "simple_rnn"'),
      }),
    );
  });

  it('refuses bytes that are not ONNX', () => {
    expect(() => describeOnnxGraph(new Uint8Array([0xff, 0xff, 0xff]))).toThrowError(
      expect.objectContaining({ code: 'MAPPING_BAD_ONNX' }),
    );
  });
});
