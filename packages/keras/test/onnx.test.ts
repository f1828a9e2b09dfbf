import { create, toBinary } from '@bufbuild/protobuf';
import { encodeOnnxModel, writeOnnx } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { kerasToOnnx } from '@reprokit/tfjs-onnx';
import * as tf from '@tensorflow/tfjs';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { readKeras } from '../src/index.js';
import { fixtureBytes } from './helpers/fixtures.js';
import { TFJS_MODELS } from './tfjs-models.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ints = (name: string, values: number[]) =>
  create(AttributeProtoSchema, {
    name,
    type: AttributeProto_AttributeType.INTS,
    ints: values.map(BigInt),
  });
const int = (name: string, value: number) =>
  create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(value) });
const float = (name: string, value: number) =>
  create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value });

function valueInfo(name: string, dims: Array<number | string>) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: TensorProto_DataType.FLOAT,
          shape: create(TensorShapeProtoSchema, {
            dim: dims.map((dim) =>
              create(TensorShapeProto_DimensionSchema, {
                value:
                  typeof dim === 'number'
                    ? { case: 'dimValue', value: BigInt(dim) }
                    : { case: 'dimParam', value: dim },
              }),
            ),
          }),
        }),
      },
    }),
  });
}

/** The fixture CNN as PyTorch exports it: NCHW Conv, BatchNormalization (eps 1e-3), Flatten, Gemm transB=1. */
function pytorchStyleCnn(): Uint8Array {
  const zeros = (dims: number[]) =>
    create(TensorProtoSchema, {
      dims: dims.map(BigInt),
      dataType: TensorProto_DataType.FLOAT,
      rawData: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)),
    });
  const initializers: Array<[string, number[]]> = [
    ['conv.weight', [2, 1, 3, 3]],
    ['conv.bias', [2]],
    ['bn.weight', [2]],
    ['bn.bias', [2]],
    ['bn.running_mean', [2]],
    ['bn.running_var', [2]],
    ['fc.weight', [3, 18]],
    ['fc.bias', [3]],
  ];
  const graph = create(GraphProtoSchema, {
    name: 'cnn',
    input: [valueInfo('x', ['N', 1, 5, 5])],
    output: [valueInfo('y', ['N', 3])],
    node: [
      create(NodeProtoSchema, {
        name: 'conv',
        opType: 'Conv',
        input: ['x', 'conv.weight', 'conv.bias'],
        output: ['c'],
        attribute: [ints('kernel_shape', [3, 3])],
      }),
      create(NodeProtoSchema, {
        name: 'bn',
        opType: 'BatchNormalization',
        input: ['c', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'],
        output: ['b'],
        attribute: [float('epsilon', 1e-3)],
      }),
      create(NodeProtoSchema, {
        name: 'flatten',
        opType: 'Flatten',
        input: ['b'],
        output: ['f'],
        attribute: [int('axis', 1)],
      }),
      create(NodeProtoSchema, {
        name: 'fc',
        opType: 'Gemm',
        input: ['f', 'fc.weight', 'fc.bias'],
        output: ['y'],
        attribute: [int('transB', 1)],
      }),
    ],
    initializer: initializers.map(([name, dims]) => ({ ...zeros(dims), name })),
  });
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'reprokit-keras-test',
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })],
      graph,
    }),
  );
}

describe('Keras weights on to ONNX Runtime through the kerasToOnnx preset', () => {
  it('a tf.keras save_weights .h5 -> checkpoint -> PyTorch-style ONNX graph: ORT matches tfjs within 1e-5', async () => {
    const checkpoint = await readKeras(fixtureBytes('tf-keras-2.15-save-weights.h5'));
    const model = TFJS_MODELS.cnn!();
    await tfjsCheckpoint(tf).write(model, checkpoint);
    const graph = pytorchStyleCnn();
    // The checkpoint read from the Keras file goes straight into the ONNX graph's layouts.
    const written = encodeOnnxModel(
      await writeOnnx(graph, checkpoint, { mapping: kerasToOnnx(graph, model) }),
    );
    const nchw = Float32Array.from({ length: 2 * 25 }, (_, i) => ((i * 7) % 11) / 5 - 1);
    const session = await ort.InferenceSession.create(written);
    const result = await session.run({ x: new ort.Tensor('float32', nchw, [2, 1, 5, 5]) });
    await session.release();
    // One channel: NCHW and NHWC data are the same numbers.
    const expected = (await (
      model.predict(tf.tensor4d(nchw, [2, 5, 5, 1])) as tf.Tensor
    ).data()) as Float32Array;
    const actual = result.y!.data as Float32Array;
    expect(actual.length).toBe(6);
    const diff = Math.max(
      ...Array.from(actual, (value, index) => Math.abs(value - expected[index]!)),
    );
    expect(diff).toBeLessThanOrEqual(1e-5);
    // Not trivially equal: the weights are the file's, not zeros.
    expect(Math.max(...Array.from(actual, Math.abs))).toBeGreaterThan(0.1);
    model.dispose();
  });
});
