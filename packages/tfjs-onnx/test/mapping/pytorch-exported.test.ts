/**
 * The PyTorch presets against files written by PyTorch's own exporter (torch 1.13.1,
 * torch.onnx.export opset 13, dynamic batch axis), not graphs built by hand. The .onnx
 * files and PyTorch's outputs are made by test/fixtures/pytorch/make_fixtures.py and
 * committed, since CI has no Python ML packages.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxToKeras } from '../../src/mapping/index.js';
import { maxAbsDiff, nchwToNhwc, runOnnx } from './onnx-test-graph.js';

interface FixtureTensor {
  readonly name: string;
  readonly dtype?: 'float32' | 'int64';
  readonly dims: readonly number[];
  readonly data: readonly number[];
}

interface FixtureRecord {
  readonly torch: string;
  readonly input: FixtureTensor;
  readonly output: FixtureTensor;
  readonly graph: {
    readonly opset: number;
    readonly nodes: ReadonlyArray<{
      readonly op: string;
      readonly name: string;
      readonly attributes: Readonly<Record<string, unknown>>;
    }>;
  };
}

interface Fixture {
  readonly bytes: Uint8Array;
  readonly record: FixtureRecord;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/pytorch/', import.meta.url));

function fixture(name: string): Fixture {
  return {
    bytes: new Uint8Array(readFileSync(`${FIXTURES}${name}.onnx`)),
    record: JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8')) as FixtureRecord,
  };
}

const NAMES = [
  'mlp',
  'sequence-mlp',
  'cnn',
  'cnn-fused',
  'depthwise',
  'conv-transpose',
  'conv-transpose-shifted',
  'embedding-lstm',
  'gru',
  'bidirectional-lstm',
] as const;
type FixtureName = (typeof NAMES)[number];
const fixtures = Object.fromEntries(NAMES.map((name) => [name, fixture(name)])) as Record<
  FixtureName,
  Fixture
>;

/** The weighted ops PyTorch wrote, in file order. */
function ops(name: FixtureName, wanted: readonly string[]): string[] {
  return fixtures[name].record.graph.nodes
    .filter((node) => wanted.includes(node.op))
    .map((node) => node.op);
}

/** The fixture input as a tfjs tensor: NCHW images become NHWC. */
function tfjsInput({ input }: FixtureRecord): tf.Tensor {
  if (input.dtype === 'int64') return tf.tensor(input.data as number[], [...input.dims], 'int32');
  const data = Float32Array.from(input.data);
  if (input.dims.length !== 4) return tf.tensor(data, [...input.dims]);
  const [n = 0, c = 0, h = 0, w = 0] = input.dims;
  return tf.tensor4d(nchwToNhwc(data, input.dims), [n, h, w, c]);
}

/** PyTorch's output in the tfjs model's layout (NCHW -> NHWC for images). */
function expectedOutput({ output }: FixtureRecord): Float32Array {
  const data = Float32Array.from(output.data);
  return output.dims.length === 4 ? nchwToNhwc(data, output.dims) : data;
}

async function predict(model: tf.LayersModel, record: FixtureRecord): Promise<Float32Array> {
  const input = tfjsInput(record);
  const output = model.predict(input) as tf.Tensor;
  const data = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return data;
}

/** Loads the fixture's weights through the preset; returns the steps by `from->to`. */
async function load(name: FixtureName, model: tf.LayersModel) {
  const { bytes } = fixtures[name];
  const mapping = onnxToKeras(bytes, model);
  const report = await tfjsCheckpoint(tf).write(model, await readOnnxCheckpoint(bytes), {
    mapping,
  });
  const steps = new Map(
    report.mapping.map((step) => [`${step.from.join('+')}->${step.to}`, step.transform]),
  );
  return { mapping, report, steps };
}

const sigmoidLstm = (units: number) => tf.layers.lstm({ units, recurrentActivation: 'sigmoid' });

/** The tfjs twin of each PyTorch model (channels last). */
const models = {
  mlp: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }),
        tf.layers.dense({ units: 8, activation: 'relu' }),
        tf.layers.dense({ units: 3 }),
      ],
    }),
  sequenceMlp: () =>
    tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3, 4], units: 6, activation: 'tanh' }),
        tf.layers.dense({ units: 6 }),
      ],
    }),
  cnn: (batchNorm: boolean) =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 4, kernelSize: 3, padding: 'same' }),
        ...(batchNorm ? [tf.layers.batchNormalization({ epsilon: 1e-5 })] : []),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5 }),
      ],
    }),
  depthwise: () =>
    tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [5, 5, 4], kernelSize: 3, padding: 'same' }),
        tf.layers.conv2d({ filters: 6, kernelSize: 1 }),
      ],
    }),
  separable: () =>
    tf.sequential({
      layers: [
        tf.layers.separableConv2d({
          inputShape: [5, 5, 4],
          filters: 6,
          kernelSize: 3,
          padding: 'same',
        }),
      ],
    }),
  convTranspose: () =>
    tf.sequential({
      layers: [
        tf.layers.conv2dTranspose({
          inputShape: [4, 4, 3],
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'valid',
        }),
        tf.layers.reLU(),
        tf.layers.conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }),
      ],
    }),
  convTransposeShifted: (form: 'same' | 'valid' | 'cropped') =>
    tf.sequential({
      layers: [
        tf.layers.conv2dTranspose({
          inputShape: [4, 4, 3],
          filters: 2,
          kernelSize: 3,
          strides: 2,
          padding: form === 'same' ? 'same' : 'valid',
        }),
        ...(form === 'cropped'
          ? [
              tf.layers.cropping2D({
                cropping: [
                  [1, 0],
                  [1, 0],
                ],
              }),
            ]
          : []),
      ],
    }),
  embeddingLstm: () =>
    tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }),
        sigmoidLstm(5),
        tf.layers.dense({ units: 3 }),
      ],
    }),
  gru: () =>
    tf.sequential({
      layers: [tf.layers.gru({ inputShape: [5, 3], units: 4, recurrentActivation: 'sigmoid' })],
    }),
  bidirectionalLstm: () =>
    tf.sequential({
      layers: [
        tf.layers.bidirectional({
          inputShape: [5, 3],
          layer: sigmoidLstm(4) as tf.RNN,
          mergeMode: 'concat',
        }),
      ],
    }),
};

describe('the PyTorch-exported fixtures are sane', () => {
  it.each(NAMES)(
    '%s: ONNX Runtime reproduces the output PyTorch saved (within 1e-5)',
    async (name) => {
      const { bytes, record } = fixtures[name];
      const { input, output } = record;
      const data =
        input.dtype === 'int64'
          ? BigInt64Array.from(input.data, (value) => BigInt(value))
          : Float32Array.from(input.data);
      const result = (await runOnnx(bytes, { [input.name]: { data, dims: input.dims } }))[
        output.name
      ]!;
      expect(result.dims).toEqual(output.dims);
      expect(maxAbsDiff(result.data, output.data)).toBeLessThanOrEqual(1e-5);
      expect(record.torch).toMatch(/^1\.13\./);
      expect(record.graph.opset).toBe(13);
    },
  );

  it('records what the exporter wrote (the node patterns the preset must understand)', () => {
    // 2-D Linear -> Gemm transB=1 (weight [out,in]); Linear on [N,T,F] -> MatMul with a
    // pre-transposed [in,out] initializer + Add with the bias first.
    const gemms = fixtures.mlp.record.graph.nodes.filter((node) => node.op === 'Gemm');
    expect(gemms.map((node) => node.attributes.transB)).toEqual([1, 1, 1]);
    expect(ops('sequence-mlp', ['Gemm', 'MatMul', 'Add'])).toEqual([
      'MatMul',
      'Add',
      'MatMul',
      'Add',
    ]);
    // Eval export folds BatchNorm into the Conv; TrainingMode.PRESERVE keeps it.
    expect(ops('cnn-fused', ['Conv', 'BatchNormalization', 'Gemm'])).toEqual(['Conv', 'Gemm']);
    expect(ops('cnn', ['Conv', 'BatchNormalization', 'Gemm'])).toEqual([
      'Conv',
      'BatchNormalization',
      'Gemm',
    ]);
    const gru = fixtures.gru.record.graph.nodes.find((node) => node.op === 'GRU');
    expect(gru?.attributes.linear_before_reset).toBe(1);
    const bidirectional = fixtures['bidirectional-lstm'].record.graph.nodes.find(
      (node) => node.op === 'LSTM',
    );
    expect(bidirectional?.attributes.direction).toBe('bidirectional');
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`PyTorch-exported models into tfjs through onnxToKeras (${backend})`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
    });

    async function expectParity(name: FixtureName, model: tf.LayersModel) {
      const actual = await predict(model, fixtures[name].record);
      const expected = expectedOutput(fixtures[name].record);
      expect(actual).toHaveLength(expected.length);
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(1e-5);
      model.dispose();
    }

    it('mlp (Gemm transB=1, one square): every weight transposed, output within 1e-5', async () => {
      const model = models.mlp();
      const { report } = await load('mlp', model);
      expect(report.mapping).toEqual(
        ['dense', 'dense_1', 'dense_2'].flatMap((layer, index) => [
          {
            from: [`fc${index + 1}.weight`],
            to: `${layer}/kernel`,
            transform: 'transpose [1,0] ([out,in] -> [in,out])',
          },
          { from: [`fc${index + 1}.bias`], to: `${layer}/bias`, transform: 'rename' },
        ]),
      );
      await expectParity('mlp', model);
    });

    it('sequence-mlp (MatMul + Add on [N,T,F]): pre-transposed weights renamed, output within 1e-5', async () => {
      const model = models.sequenceMlp();
      const { report } = await load('sequence-mlp', model);
      expect(report.mapping.map((step) => [step.to, step.transform])).toEqual([
        ['dense/kernel', 'rename'],
        ['dense/bias', 'rename'],
        ['dense_1/kernel', 'rename'],
        ['dense_1/bias', 'rename'],
      ]);
      expect(report.mapping[0]!.from[0]).toMatch(/^onnx::MatMul_/);
      await expectParity('sequence-mlp', model);
    });

    it('cnn (Conv, BatchNormalization, MaxPool, Flatten, Gemm): output within 1e-5', async () => {
      const model = models.cnn(true);
      const { mapping, report, steps } = await load('cnn', model);
      expect(mapping.pairs).toEqual([
        { onnx: '/conv/Conv', keras: 'conv2d' },
        { onnx: '/bn/BatchNormalization', keras: 'batch_normalization' },
        { onnx: '/fc/Gemm', keras: 'dense' },
      ]);
      expect(steps.get('conv.weight->conv2d/kernel')).toBe('transpose [2,3,1,0] (OIkk -> kkIO)');
      expect(report.mapping).toContainEqual({
        from: ['bn.weight'],
        to: 'batch_normalization/gamma',
        transform: 'check epsilon: source 0.00001 = target 0.00001',
      });
      expect(steps.get('bn.running_var->batch_normalization/moving_variance')).toBe('rename');
      expect(steps.get('fc.weight->dense/kernel')).toBe(
        'transpose [1,0] ([out,in] -> [in,out]), then reorder flattened input rows channels-first -> channels-last ([4,3,3] -> [3,3,4])',
      );
      await expectParity('cnn', model);
    });

    it('cnn-fused (default eval export, BatchNorm folded into Conv): loads into a tfjs model without BatchNormalization', async () => {
      const model = models.cnn(false);
      const { steps } = await load('cnn-fused', model);
      expect([...steps.values()]).toContain('transpose [2,3,1,0] (OIkk -> kkIO)');
      await expectParity('cnn-fused', model);
    });

    it('depthwise (Conv group=C, then 1x1 Conv): DepthwiseConv2D + Conv2D, output within 1e-5', async () => {
      const model = models.depthwise();
      const { report } = await load('depthwise', model);
      expect(report.mapping.map((step) => [step.from.join('+'), step.to, step.transform])).toEqual([
        [
          'depthwise.weight',
          'depthwise_conv2d/depthwise_kernel',
          'depthwise [C*m,1,kh,kw] -> [kh,kw,C,m] (reshape [4,1,3,3], then transpose [2,3,0,1])',
        ],
        ['depthwise.bias', 'depthwise_conv2d/bias', 'rename'],
        ['pointwise.weight', 'conv2d/kernel', 'transpose [2,3,1,0] (OIkk -> kkIO)'],
        ['pointwise.bias', 'conv2d/bias', 'rename'],
      ]);
      await expectParity('depthwise', model);
    });

    it('depthwise: the same file loads into one SeparableConv2D (depthwise bias folded)', async () => {
      const model = models.separable();
      const { report } = await load('depthwise', model);
      expect(report.mapping.map((step) => step.to)).toEqual([
        'separable_conv2d/depthwise_kernel',
        'separable_conv2d/pointwise_kernel',
        'separable_conv2d/bias',
      ]);
      await expectParity('depthwise', model);
    });

    it("conv-transpose (k3 s2 p0 as 'valid', k4 s2 p1 as 'same'): output within 1e-5", async () => {
      const model = models.convTranspose();
      const { report } = await load('conv-transpose', model);
      expect(report.mapping.filter((step) => step.to.endsWith('/kernel'))).toEqual([
        {
          from: ['up1.weight'],
          to: 'conv2d_transpose/kernel',
          transform: 'transpose [2,3,1,0] (IOkk -> kkOI)',
        },
        {
          from: ['up2.weight'],
          to: 'conv2d_transpose_1/kernel',
          transform: 'transpose [2,3,1,0] (IOkk -> kkOI)',
        },
      ]);
      await expectParity('conv-transpose', model);
    });

    it("conv-transpose-shifted (k3 s2 p1 output_padding 1): 'valid' + Cropping2D [[1,0],[1,0]] matches within 1e-5", async () => {
      const model = models.convTransposeShifted('cropped');
      await load('conv-transpose-shifted', model);
      await expectParity('conv-transpose-shifted', model);
    });

    it("conv-transpose-shifted: tfjs 'same' (same output size) really computes otherwise, which is why the preset refuses it", async () => {
      const reference = models.convTransposeShifted('cropped');
      await load('conv-transpose-shifted', reference);
      const same = models.convTransposeShifted('same');
      same.setWeights(reference.getWeights());
      const actual = await predict(same, fixtures['conv-transpose-shifted'].record);
      const expected = expectedOutput(fixtures['conv-transpose-shifted'].record);
      expect(actual).toHaveLength(expected.length);
      expect(maxAbsDiff(actual, expected)).toBeGreaterThan(1e-2);
      // tfjs 'same' keeps rows and columns 0..7 of the full 9x9 output (crop [0,0,1,1], the
      // preset's reading of 'same'); PyTorch keeps 1..8.
      const full = models.convTransposeShifted('valid');
      full.setWeights(reference.getWeights());
      const input = tfjsInput(fixtures['conv-transpose-shifted'].record);
      const fullOutput = full.predict(input) as tf.Tensor4D;
      const kept = fullOutput.slice([0, 0, 0, 0], [-1, 8, 8, -1]);
      expect(maxAbsDiff((await kept.data()) as Float32Array, actual)).toBeLessThanOrEqual(1e-6);
      tf.dispose([input, fullOutput, kept]);
      reference.dispose();
      same.dispose();
      full.dispose();
    });

    it('embedding-lstm (Gather, LSTM from folded Slice/Concat initializers, Gemm on the last step): output within 1e-5', async () => {
      const model = models.embeddingLstm();
      const { report } = await load('embedding-lstm', model);
      expect(report.mapping.map((step) => [step.to, step.transform])).toEqual([
        ['embedding/embeddings', 'rename'],
        [
          'lstm/kernel',
          'select index 0 of axis 0 (forward), then reorder gates iofc->ifco on axis 0, then transpose [1,0] ([G*h,in] -> [in,G*h])',
        ],
        [
          'lstm/recurrent_kernel',
          'select index 0 of axis 0 (forward), then reorder gates iofc->ifco on axis 0, then transpose [1,0] ([G*h,in] -> [in,G*h])',
        ],
        [
          'lstm/bias',
          'select index 0 of axis 0 (forward), then Wb + Rb (split [8h] into halves and sum), then reorder gates iofc->ifco on axis 0',
        ],
        ['dense/kernel', 'transpose [1,0] ([out,in] -> [in,out])'],
        ['dense/bias', 'rename'],
      ]);
      await expectParity('embedding-lstm', model);
    });

    it('bidirectional-lstm (h_n of both directions): Bidirectional(LSTM) concat, output within 1e-5', async () => {
      const model = models.bidirectionalLstm();
      const { report } = await load('bidirectional-lstm', model);
      expect(report.mapping.map((step) => step.to)).toEqual([
        'bidirectional/forward_lstm/kernel',
        'bidirectional/forward_lstm/recurrent_kernel',
        'bidirectional/forward_lstm/bias',
        'bidirectional/backward_lstm/kernel',
        'bidirectional/backward_lstm/recurrent_kernel',
        'bidirectional/backward_lstm/bias',
      ]);
      expect(report.mapping[3]!.transform).toMatch(/^select index 1 of axis 0 \(backward\)/);
      await expectParity('bidirectional-lstm', model);
    });
  });
}

describe('what PyTorch exports that tfjs cannot compute is refused with typed errors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gru: PyTorch writes linear_before_reset=1, tfjs 4.22 GRU has no resetAfter', () => {
    const model = models.gru();
    expect(() => onnxToKeras(fixtures.gru.bytes, model)).toThrowError(
      expect.objectContaining({
        name: 'MappingError',
        code: 'MAPPING_UNSUPPORTED_ATTRIBUTE',
        origin: 'tfjs-onnx',
        message: expect.stringMatching(
          /GRU "\/gru\/GRU" -> GRU "gru".*linear_before_reset=1 \(PyTorch GRU; tfjs GRU has no resetAfter\)/s,
        ),
      }),
    );
    model.dispose();
  });

  it("conv-transpose-shifted: tfjs 'same' crops the other end than PyTorch's padding=1, output_padding=1", () => {
    const model = models.convTransposeShifted('same');
    expect(() => onnxToKeras(fixtures['conv-transpose-shifted'].bytes, model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_ATTRIBUTE_MISMATCH',
        message: expect.stringContaining(
          "output crop (begins, then ends): ONNX pads and output_padding give [1,1,0,0], tfjs padding 'same' gives [0,0,1,1]; build the tfjs layer with padding 'valid' and tf.layers.cropping2D({ cropping: [[1,0],[1,0]] }) right after it",
        ),
      }),
    );
    model.dispose();
  });

  it('cnn-fused into a tfjs model with BatchNormalization: count mismatch that says the exporter folded it', () => {
    const model = models.cnn(true);
    expect(() => onnxToKeras(fixtures['cnn-fused'].bytes, model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_LAYER_COUNT_MISMATCH',
        message: expect.stringContaining('TrainingMode.PRESERVE'),
      }),
    );
    model.dispose();
  });

  it('a PyTorch LSTM into a tfjs LSTM with the default hardSigmoid says to use sigmoid', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }),
        tf.layers.lstm({ units: 5 }),
        tf.layers.dense({ units: 3 }),
      ],
    });
    expect(() => onnxToKeras(fixtures['embedding-lstm'].bytes, model)).toThrowError(
      expect.objectContaining({
        code: 'MAPPING_ACTIVATION_MISMATCH',
        message: expect.stringContaining("recurrentActivation: 'sigmoid'"),
      }),
    );
    model.dispose();
  });
});
