import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  type Checkpoint,
  createCheckpoint,
  type Dtype,
  fromTypedArray,
  type TensorSpec,
} from '@reprokit/core';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from 'onnx-buf';

/** A fresh temporary folder; `cleanup` removes it. */
export async function temporaryFolder(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'reprokit-cli-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** A small dense layer's weights with values that are not round numbers. */
export function denseCheckpoint(scale = 1): Checkpoint {
  return createCheckpoint(
    [
      [
        'dense/kernel',
        fromTypedArray(
          'F32',
          [3, 2],
          Float32Array.from([0.1, -0.2, 0.3, 1.5, -2.25, 1e-7], (v) => v * scale),
        ),
      ],
      [
        'dense/bias',
        fromTypedArray(
          'F32',
          [2],
          Float32Array.from([0.5, -0.125], (v) => v * scale),
        ),
      ],
    ],
    [['producer', 'reprokit-cli-test']],
  );
}

const ONNX_DTYPE: Partial<Record<Dtype, TensorProto_DataType>> = {
  F32: TensorProto_DataType.FLOAT,
  F16: TensorProto_DataType.FLOAT16,
  I32: TensorProto_DataType.INT32,
  I64: TensorProto_DataType.INT64,
};

/**
 * ONNX bytes for `y = x @ dense/kernel + dense/bias` whose initializers have the given specs
 * and hold zeros: a template whose graph receives weights from a checkpoint.
 */
export function denseOnnxTemplate(
  specs: ReadonlyMap<string, TensorSpec> = new Map<string, TensorSpec>([
    ['dense/kernel', { dtype: 'F32', shape: [3, 2] }],
    ['dense/bias', { dtype: 'F32', shape: [2] }],
  ]),
): Uint8Array {
  const initializer = [...specs].map(([name, spec]) => {
    const count = spec.shape.reduce((product, dim) => product * dim, 1);
    const size = spec.dtype === 'F16' ? 2 : spec.dtype === 'I64' ? 8 : 4;
    return create(TensorProtoSchema, {
      name,
      dims: spec.shape.map((dim) => BigInt(dim)),
      dataType: ONNX_DTYPE[spec.dtype] ?? TensorProto_DataType.FLOAT,
      rawData: new Uint8Array(count * size),
    });
  });
  const floatInfo = (name: string, dims: number[]) =>
    create(ValueInfoProtoSchema, {
      name,
      type: create(TypeProtoSchema, {
        value: {
          case: 'tensorType',
          value: create(TypeProto_TensorSchema, {
            elemType: TensorProto_DataType.FLOAT,
            shape: {
              dim: dims.map((dim) => ({
                value: { case: 'dimValue' as const, value: BigInt(dim) },
              })),
            },
          }),
        },
      }),
    });
  const graph = create(GraphProtoSchema, {
    name: 'dense',
    node: [
      create(NodeProtoSchema, { opType: 'MatMul', input: ['x', 'dense/kernel'], output: ['xw'] }),
      create(NodeProtoSchema, { opType: 'Add', input: ['xw', 'dense/bias'], output: ['y'] }),
    ],
    initializer,
    input: [floatInfo('x', [1, 3])],
    output: [floatInfo('y', [1, 2])],
  });
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'reprokit-cli-test',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}

/**
 * A PyTorch-style linear layer as ONNX: `y = Gemm(x, weight, bias, transB=1)` with `weight`
 * stored `[out, in]` (the layout Keras stores transposed, as `[in, out]`).
 */
export function gemmOnnxModel(weight: number[][], bias: number[]): Uint8Array {
  const rows = weight.length;
  const columns = weight[0]?.length ?? 0;
  const floats = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
  const graph = create(GraphProtoSchema, {
    name: 'linear',
    node: [
      create(NodeProtoSchema, {
        name: 'fc',
        opType: 'Gemm',
        input: ['x', 'fc.weight', 'fc.bias'],
        output: ['y'],
        attribute: [
          create(AttributeProtoSchema, {
            name: 'transB',
            type: AttributeProto_AttributeType.INT,
            i: 1n,
          }),
        ],
      }),
    ],
    initializer: [
      create(TensorProtoSchema, {
        name: 'fc.weight',
        dims: [BigInt(rows), BigInt(columns)],
        dataType: TensorProto_DataType.FLOAT,
        rawData: floats(weight.flat()),
      }),
      create(TensorProtoSchema, {
        name: 'fc.bias',
        dims: [BigInt(rows)],
        dataType: TensorProto_DataType.FLOAT,
        rawData: floats(bias),
      }),
    ],
  });
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'reprokit-cli-test',
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 17n })],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}
