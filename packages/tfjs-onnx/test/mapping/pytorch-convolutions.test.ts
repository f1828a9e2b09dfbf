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

const batch = 2;

// Depthwise Conv (group = C, multiplier 2, with bias) then ConvTranspose (stride 2).
function depthwiseThenTranspose(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 3, 6, 6] }],
    outputs: [{ name: 'y', shape: ['N', 2, 8, 8] }],
    nodes: [
      {
        op: 'Conv',
        name: 'depthwise',
        inputs: ['x', 'dw.weight', 'dw.bias'],
        outputs: ['d'],
        attributes: { kernel_shape: [3, 3], group: 3 },
      },
      {
        op: 'ConvTranspose',
        name: 'up',
        inputs: ['d', 'up.weight', 'up.bias'],
        outputs: ['y'],
        attributes: { kernel_shape: [2, 2], strides: [2, 2] },
      },
    ],
    initializers: new Map([
      ['dw.weight', weight([6, 1, 3, 3], 11)],
      ['dw.bias', weight([6], 12)],
      ['up.weight', weight([6, 2, 2, 2], 13)],
      ['up.bias', weight([2], 14)],
    ]),
  });
}

// Conv1d (NCL) without bias, into a Keras Conv1D that has one: the bias is zero-filled.
function conv1d(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 3, 7] }],
    outputs: [{ name: 'y', shape: ['N', 4, 5] }],
    nodes: [
      {
        op: 'Conv',
        name: 'conv1d',
        inputs: ['x', 'c.weight'],
        outputs: ['y'],
        attributes: { kernel_shape: [3] },
      },
    ],
    initializers: new Map([['c.weight', weight([4, 3, 3], 15)]]),
  });
}

// PyTorch Conv2d(3, 4, 3, stride=2, padding=1): symmetric padding, which Keras 'same' is not
// for stride 2 on an even input (it pads only at the end).
function strided(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 3, 6, 6] }],
    outputs: [{ name: 'y', shape: ['N', 4, 3, 3] }],
    nodes: [
      {
        op: 'Conv',
        name: 'down',
        inputs: ['x', 'down.weight', 'down.bias'],
        outputs: ['y'],
        attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
      },
    ],
    initializers: new Map([
      ['down.weight', weight([4, 3, 3, 3], 16)],
      ['down.bias', weight([4], 17)],
    ]),
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch-style convolutions into tfjs (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    it('maps a depthwise Conv (group=C) and a ConvTranspose, matching ORT within 1e-5', async () => {
      const bytes = depthwiseThenTranspose();
      const x = randomValues(batch * 3 * 6 * 6, 21, 2);
      const expected = (await runOnnx(bytes, { x: { data: x, dims: [batch, 3, 6, 6] } })).y!;
      const model = tf.sequential({
        layers: [
          tf.layers.depthwiseConv2d({ inputShape: [6, 6, 3], kernelSize: 3, depthMultiplier: 2 }),
          tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2 }),
        ],
      });
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
        mapping: onnxToKeras(bytes, model),
      });
      expect(report.mapping.map((step) => step.transform)).toEqual([
        'depthwise [C*m,1,kh,kw] -> [kh,kw,C,m] (reshape [3,2,3,3], then transpose [2,3,0,1])',
        'rename',
        'transpose [2,3,1,0] (IOkk -> kkOI)',
        'rename',
      ]);
      const input = tf.tensor4d(nchwToNhwc(x, [batch, 3, 6, 6]), [batch, 6, 6, 3]);
      const output = model.predict(input) as tf.Tensor;
      const actual = (await output.data()) as Float32Array;
      expect(output.shape).toEqual([batch, 8, 8, 2]);
      expect(maxAbsDiff(actual, nchwToNhwc(expected.data, [batch, 2, 8, 8]))).toBeLessThanOrEqual(
        1e-5,
      );
      tf.dispose([input, output]);
      model.dispose();
    });

    it('maps a Conv1d (OIK -> KIO) and fills the missing bias with zeros', async () => {
      const bytes = conv1d();
      const x = randomValues(batch * 3 * 7, 22, 2);
      const expected = (await runOnnx(bytes, { x: { data: x, dims: [batch, 3, 7] } })).y!;
      const model = tf.sequential({
        layers: [
          tf.layers.conv1d({
            inputShape: [7, 3],
            filters: 4,
            kernelSize: 3,
            biasInitializer: 'ones',
          }),
        ],
      });
      const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
        mapping: onnxToKeras(bytes, model),
      });
      expect(report.mapping).toContainEqual({
        from: ['c.weight'],
        to: 'conv1d/bias',
        transform: 'zeros [4] (the ONNX node has no bias)',
      });
      const input = tf.tensor3d(nchwToNhwc(x, [batch, 3, 7, 1]), [batch, 7, 3]);
      const output = model.predict(input) as tf.Tensor;
      const actual = (await output.data()) as Float32Array;
      expect(maxAbsDiff(actual, nchwToNhwc(expected.data, [batch, 4, 5, 1]))).toBeLessThanOrEqual(
        1e-5,
      );
      tf.dispose([input, output]);
      model.dispose();
    });
  });
}

describe('convolution geometry is compared, not only weights', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("refuses Keras 'same' for PyTorch's symmetric stride-2 padding, naming both paddings", () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [6, 6, 3],
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
        }),
      ],
    });
    expect(() => onnxToKeras(strided(), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_ATTRIBUTE_MISMATCH',
        message: expect.stringContaining("ONNX [1,1,1,1], tfjs padding 'same' gives [0,0,1,1]"),
      }),
    );
    const otherStride = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, padding: 'same' }),
      ],
    });
    expect(() => onnxToKeras(strided(), otherStride)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_ATTRIBUTE_MISMATCH',
        message: expect.stringContaining('strides: ONNX [2,2], tfjs [1,1]'),
      }),
    );
  });

  it('accepts ZeroPadding2D + valid for it, and then matches ORT within 1e-5', async () => {
    const bytes = strided();
    const x = randomValues(batch * 3 * 6 * 6, 23, 2);
    const expected = (await runOnnx(bytes, { x: { data: x, dims: [batch, 3, 6, 6] } })).y!;
    const model = tf.sequential({
      layers: [
        tf.layers.zeroPadding2d({ inputShape: [6, 6, 3], padding: 1 }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2 }),
      ],
    });
    await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
      mapping: onnxToKeras(bytes, model),
    });
    const input = tf.tensor4d(nchwToNhwc(x, [batch, 3, 6, 6]), [batch, 6, 6, 3]);
    const output = model.predict(input) as tf.Tensor;
    const actual = (await output.data()) as Float32Array;
    expect(maxAbsDiff(actual, nchwToNhwc(expected.data, [batch, 4, 3, 3]))).toBeLessThanOrEqual(
      1e-5,
    );
    tf.dispose([input, output]);
    model.dispose();
  });
});

// Conv 1x1 then PRelu with one slope per channel ([C,1,1], as PyTorch exports nn.PReLU(C)).
function convPrelu(slopeShape: number[]): Uint8Array {
  return buildOnnxModel({
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
      ['mix.weight', weight([3, 3, 1, 1], 18)],
      ['act.weight', weight(slopeShape, 19)],
    ]),
  });
}

describe('PRelu slopes into tfjs PReLU', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['per channel [3,1,1] into shared [1,1,3]', [3, 1, 1], [1, 2]],
    ['per channel [3,1,1] into unshared [4,4,3]', [3, 1, 1], undefined],
    ['one slope [1] into [1,1,3]', [1], [1, 2]],
  ] as const)('%s: matches ORT within 1e-5', async (_label, slopeShape, sharedAxes) => {
    const bytes = convPrelu([...slopeShape]);
    const x = randomValues(batch * 3 * 4 * 4, 24, 2);
    const expected = (await runOnnx(bytes, { x: { data: x, dims: [batch, 3, 4, 4] } })).y!;
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 3, kernelSize: 1, useBias: false }),
        tf.layers.prelu(sharedAxes === undefined ? {} : { sharedAxes: [...sharedAxes] }),
      ],
    });
    const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
      mapping: onnxToKeras(bytes, model),
    });
    expect(report.mapping[1]!.transform).toMatch(/^broadcast (per-channel|one) slope/);
    const input = tf.tensor4d(nchwToNhwc(x, [batch, 3, 4, 4]), [batch, 4, 4, 3]);
    const output = model.predict(input) as tf.Tensor;
    const actual = (await output.data()) as Float32Array;
    expect(maxAbsDiff(actual, nchwToNhwc(expected.data, [batch, 3, 4, 4]))).toBeLessThanOrEqual(
      1e-5,
    );
    tf.dispose([input, output]);
    model.dispose();
  });

  it('refuses a per-position slope', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [4, 4, 3], filters: 3, kernelSize: 1, useBias: false }),
        tf.layers.prelu(),
      ],
    });
    expect(() => onnxToKeras(convPrelu([3, 4, 4]), model)).toThrowError(
      expect.objectContaining({ code: 'MAPPING_SHAPE_MISMATCH', tensor: 'p_re_lu/alpha' }),
    );
  });
});

// PyTorch's separable convolution: depthwise Conv (group = C, with a bias) then 1x1 Conv.
function separable(): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'x', shape: ['N', 3, 6, 6] }],
    outputs: [{ name: 'y', shape: ['N', 5, 6, 6] }],
    nodes: [
      {
        op: 'Conv',
        name: 'depth',
        inputs: ['x', 'depth.weight', 'depth.bias'],
        outputs: ['d'],
        attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 3 },
      },
      {
        op: 'Conv',
        name: 'point',
        inputs: ['d', 'point.weight', 'point.bias'],
        outputs: ['y'],
        attributes: { kernel_shape: [1, 1] },
      },
    ],
    initializers: new Map([
      ['depth.weight', weight([6, 1, 3, 3], 25)],
      ['depth.bias', weight([6], 26)],
      ['point.weight', weight([5, 6, 1, 1], 27)],
      ['point.bias', weight([5], 28)],
    ]),
  });
}

describe('depthwise + 1x1 Conv into one SeparableConv2D', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('pairs two ONNX nodes with one layer, folds the depthwise bias, and matches ORT within 1e-5', async () => {
    const bytes = separable();
    const x = randomValues(batch * 3 * 6 * 6, 29, 2);
    const expected = (await runOnnx(bytes, { x: { data: x, dims: [batch, 3, 6, 6] } })).y!;
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
    const mapping = onnxToKeras(bytes, model);
    expect(mapping.pairs).toEqual([{ onnx: 'depth', keras: 'separable_conv2d' }]);
    const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
      mapping,
    });
    expect(
      report.mapping.map((step) => `${step.from.join('+')} -> ${step.to}: ${step.transform}`),
    ).toEqual([
      'depth.weight -> separable_conv2d/depthwise_kernel: depthwise [C*m,1,kh,kw] -> [kh,kw,C,m] (reshape [3,2,3,3], then transpose [2,3,0,1])',
      'point.weight -> separable_conv2d/pointwise_kernel: transpose [2,3,1,0]',
      'point.weight+depth.bias+point.bias -> separable_conv2d/bias: fold the depthwise bias into the pointwise bias (b2 + Wp . b1)',
    ]);
    const input = tf.tensor4d(nchwToNhwc(x, [batch, 3, 6, 6]), [batch, 6, 6, 3]);
    const output = model.predict(input) as tf.Tensor;
    const actual = (await output.data()) as Float32Array;
    expect(maxAbsDiff(actual, nchwToNhwc(expected.data, [batch, 5, 6, 6]))).toBeLessThanOrEqual(
      1e-5,
    );
    tf.dispose([input, output]);
    model.dispose();
  });

  it('says a SeparableConv2D takes two nodes when the counts do not fit', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.separableConv2d({
          inputShape: [6, 6, 3],
          filters: 5,
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
        }),
        tf.layers.conv2d({ filters: 2, kernelSize: 1 }),
      ],
    });
    expect(() => onnxToKeras(separable(), model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_LAYER_COUNT_MISMATCH',
        message: expect.stringContaining('a SeparableConv2D takes two'),
      }),
    );
  });
});
