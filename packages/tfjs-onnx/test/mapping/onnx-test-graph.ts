/**
 * Builds small PyTorch-style ONNX models in code (onnx-buf), runs them in ONNX Runtime and
 * makes seeded random weights, for the mapping tests.
 */
import { create, toBinary } from '@bufbuild/protobuf';
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

export type Attribute = number | string | readonly number[] | { float: number };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  readonly attributes?: Readonly<Record<string, Attribute>>;
}

export interface GraphSpec {
  readonly inputs: ReadonlyArray<{
    name: string;
    shape: ReadonlyArray<number | string>;
    type?: 'float' | 'int64';
  }>;
  readonly outputs: ReadonlyArray<{ name: string; shape: ReadonlyArray<number | string> }>;
  readonly nodes: readonly NodeSpec[];
  readonly initializers: ReadonlyMap<string, { shape: readonly number[]; values: Float32Array }>;
  readonly opset?: number;
}

function attribute(name: string, value: Attribute) {
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? create(AttributeProtoSchema, {
          name,
          type: AttributeProto_AttributeType.INT,
          i: BigInt(value),
        })
      : create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f: value });
  }
  if (typeof value === 'string') {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.STRING,
      s: new TextEncoder().encode(value),
    });
  }
  if ('float' in value) {
    return create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.FLOAT,
      f: value.float,
    });
  }
  const list = value as readonly number[];
  return create(AttributeProtoSchema, {
    name,
    type: AttributeProto_AttributeType.INTS,
    ints: list.map((item) => BigInt(item)),
  });
}

function valueInfo(
  name: string,
  shape: ReadonlyArray<number | string>,
  type: 'float' | 'int64' = 'float',
) {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType: type === 'float' ? TensorProto_DataType.FLOAT : TensorProto_DataType.INT64,
          shape: create(TensorShapeProtoSchema, {
            dim: shape.map((dim) =>
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

/** Encodes the graph as an ONNX model (opset 17 by default) with embedded float32 initializers. */
export function buildOnnxModel(spec: GraphSpec): Uint8Array {
  const graph = create(GraphProtoSchema, {
    name: 'test',
    input: spec.inputs.map((input) => valueInfo(input.name, input.shape, input.type)),
    output: spec.outputs.map((output) => valueInfo(output.name, output.shape)),
    node: spec.nodes.map((node, index) =>
      create(NodeProtoSchema, {
        name: node.name ?? `${node.op}_${index}`,
        opType: node.op,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
          attribute(name, value),
        ),
      }),
    ),
    initializer: [...spec.initializers].map(([name, tensor]) =>
      create(TensorProtoSchema, {
        name,
        dims: tensor.shape.map((dim) => BigInt(dim)),
        dataType: TensorProto_DataType.FLOAT,
        rawData: new Uint8Array(Float32Array.from(tensor.values).buffer),
      }),
    ),
  });
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'reprokit-test',
    opsetImport: [
      create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(spec.opset ?? 17) }),
    ],
    graph,
  });
  return toBinary(ModelProtoSchema, model);
}

/** Runs the model on one input in ONNX Runtime, returns every output as float32 data + dims. */
export async function runOnnx(
  bytes: Uint8Array,
  feeds: Readonly<Record<string, { data: Float32Array | BigInt64Array; dims: readonly number[] }>>,
): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) {
      inputs[name] = new ort.Tensor(
        feed.data instanceof Float32Array ? 'float32' : 'int64',
        feed.data,
        feed.dims,
      );
    }
    const results = await session.run(inputs);
    const out: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
    for (const [name, tensor] of Object.entries(results)) {
      out[name] = { data: tensor.data as Float32Array, dims: tensor.dims };
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Seeded uniform values in [-scale, scale) (mulberry32), so failures reproduce. */
export function randomValues(count: number, seed: number, scale = 0.5): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[index] = (unit * 2 - 1) * scale;
  }
  return out;
}

export function weight(shape: readonly number[], seed: number, scale = 0.5) {
  return {
    shape,
    values: randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
      scale,
    ),
  };
}

/** NCHW data -> NHWC data. */
export function nchwToNhwc(data: Float32Array, [n, c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n!; b++)
    for (let ch = 0; ch < c!; ch++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++)
          out[((b * h! + y) * w! + x) * c! + ch] = data[((b * c! + ch) * h! + y) * w! + x]!;
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let index = 0; index < a.length; index++)
    max = Math.max(max, Math.abs(a[index]! - b[index]!));
  return max;
}
