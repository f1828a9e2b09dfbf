/**
 * Builds small ONNX models in code for the tests (no binary fixtures): tensors, nodes,
 * attributes and graphs through onnx-buf, plus plain-JS reference math for the ops used.
 */
import { create } from '@bufbuild/protobuf';
import type { Checkpoint, CheckpointTensor, Dtype } from '@reprokit/core';
import { createCheckpoint } from '@reprokit/core';
import {
  type AttributeProto,
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type GraphProto,
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from 'onnx-buf';
import { dtypeToOnnxDataType, type OnnxModel, wrapModelProto } from '../src/index.js';

export function f32(values: readonly number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

export function floats(tensor: CheckpointTensor | Uint8Array): number[] {
  const data = tensor instanceof Uint8Array ? tensor : tensor.data;
  return [...new Float32Array(data.slice().buffer)];
}

export function rawTensor(
  name: string,
  dtype: Dtype,
  dims: readonly number[],
  data: Uint8Array,
): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dataType: dtypeToOnnxDataType(dtype),
    dims: dims.map(BigInt),
    rawData: data as Uint8Array<ArrayBuffer>,
  });
}

export function f32Tensor(
  name: string,
  dims: readonly number[],
  values: readonly number[],
): TensorProto {
  return rawTensor(name, 'F32', dims, f32(values));
}

export function valueInfo(
  name: string,
  dims: ReadonlyArray<number | string>,
  elemType = 1,
): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, {
          elemType,
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

export const attr = {
  int: (name: string, i: number) =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.INT, i: BigInt(i) }),
  float: (name: string, f: number) =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.FLOAT, f }),
  ints: (name: string, ints: readonly number[]) =>
    create(AttributeProtoSchema, {
      name,
      type: AttributeProto_AttributeType.INTS,
      ints: ints.map(BigInt),
    }),
  graph: (name: string, g: GraphProto) =>
    create(AttributeProtoSchema, { name, type: AttributeProto_AttributeType.GRAPH, g }),
};

export function node(
  opType: string,
  input: readonly string[],
  output: readonly string[],
  attribute: readonly AttributeProto[] = [],
  name = '',
): NodeProto {
  return create(NodeProtoSchema, {
    opType,
    input: [...input],
    output: [...output],
    attribute: [...attribute],
    name,
  });
}

export function graph(parts: {
  name?: string;
  node: readonly NodeProto[];
  initializer?: readonly TensorProto[];
  input?: readonly ValueInfoProto[];
  output: readonly ValueInfoProto[];
}): GraphProto {
  return create(GraphProtoSchema, {
    name: parts.name ?? 'g',
    node: [...parts.node],
    initializer: [...(parts.initializer ?? [])],
    input: [...(parts.input ?? [])],
    output: [...parts.output],
  });
}

export function model(g: GraphProto, opset = 17): OnnxModel {
  return wrapModelProto(
    create(ModelProtoSchema, {
      irVersion: 8n,
      producerName: 'reprokit-tests',
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
      graph: g,
    }),
    { name: '<test model>' },
  );
}

/** Values k/4 for small integers k: every product and sum below is exact in float32. */
export function quarters(count: number, offset: number): number[] {
  return Array.from({ length: count }, (_, i) => (((i * 7 + offset) % 13) - 6) / 4);
}

/**
 * Dense model: y = x·W + B (MatMul, Add) and z = Gemm(x, G, C, transB=1), i.e. x·Gᵀ + C.
 * Inputs x [1,3]; W [3,4], B [4], G [5,3], C [5].
 */
export function denseModel(offset = 0): OnnxModel {
  return model(
    graph({
      node: [
        node('MatMul', ['x', 'W'], ['xw'], [], 'matmul'),
        node('Add', ['xw', 'B'], ['y'], [], 'add'),
        node('Gemm', ['x', 'G', 'C'], ['z'], [attr.int('transB', 1)], 'gemm'),
      ],
      initializer: [
        f32Tensor('W', [3, 4], quarters(12, offset)),
        f32Tensor('B', [4], quarters(4, offset + 1)),
        f32Tensor('G', [5, 3], quarters(15, offset + 2)),
        f32Tensor('C', [5], quarters(5, offset + 3)),
      ],
      input: [valueInfo('x', [1, 3])],
      output: [valueInfo('y', [1, 4]), valueInfo('z', [1, 5])],
    }),
  );
}

/** Conv (3x3, pad 1, 2→3 channels) then BatchNormalization (eps 1e-3) on x [1,2,4,4]. */
export function convModel(offset = 0): OnnxModel {
  return model(
    graph({
      node: [
        node(
          'Conv',
          ['x', 'K', 'KB'],
          ['c'],
          [attr.ints('pads', [1, 1, 1, 1]), attr.ints('kernel_shape', [3, 3])],
          'conv',
        ),
        node(
          'BatchNormalization',
          ['c', 'scale', 'bias', 'mean', 'var'],
          ['y'],
          [attr.float('epsilon', 1e-3)],
          'bn',
        ),
      ],
      initializer: [
        f32Tensor('K', [3, 2, 3, 3], quarters(54, offset)),
        f32Tensor('KB', [3], quarters(3, offset + 1)),
        f32Tensor('scale', [3], quarters(3, offset + 2)),
        f32Tensor('bias', [3], quarters(3, offset + 3)),
        f32Tensor('mean', [3], quarters(3, offset + 4)),
        f32Tensor(
          'var',
          [3],
          quarters(3, offset + 5).map((v) => Math.abs(v) + 0.5),
        ),
      ],
      input: [valueInfo('x', [1, 2, 4, 4])],
      output: [valueInfo('y', [1, 3, 4, 4])],
    }),
  );
}

/**
 * If node whose branches carry their own initializers: y = cond ? x + T : x * E, with
 * T and E [3] living inside the then/else subgraphs, plus a main-graph initializer S.
 */
export function ifModel(): OnnxModel {
  const thenBranch = graph({
    name: 'then',
    node: [node('Add', ['xs', 'T'], ['then_out'])],
    initializer: [f32Tensor('T', [3], [1, 2, 3])],
    output: [valueInfo('then_out', [3])],
  });
  const elseBranch = graph({
    name: 'else',
    node: [node('Mul', ['xs', 'E'], ['else_out'])],
    initializer: [f32Tensor('E', [3], [10, 20, 30])],
    output: [valueInfo('else_out', [3])],
  });
  return model(
    graph({
      node: [
        node('Mul', ['x', 'S'], ['xs'], [], 'scale'),
        node(
          'If',
          ['cond'],
          ['y'],
          [attr.graph('then_branch', thenBranch), attr.graph('else_branch', elseBranch)],
          'choose',
        ),
      ],
      initializer: [f32Tensor('S', [3], [1, 1, 1])],
      input: [valueInfo('cond', [], 9), valueInfo('x', [3])],
      output: [valueInfo('y', [3])],
    }),
  );
}

/**
 * Random nodes: RandomUniform [8], RandomNormal [8], RandomUniformLike(x), Bernoulli(u) and a
 * Dropout in training mode on x [8]; plus one RandomUniform that already has seed 7.
 */
export function randomModel(): OnnxModel {
  return model(
    graph({
      node: [
        node('RandomUniform', [], ['u'], [attr.ints('shape', [8])], 'uniform'),
        node('RandomNormal', [], ['n'], [attr.ints('shape', [8])], 'normal'),
        node('RandomUniformLike', ['x'], ['ul']),
        node('Bernoulli', ['u'], ['b']),
        node('Dropout', ['x', 'ratio', 'training'], ['d'], [], 'dropout'),
        node(
          'RandomUniform',
          [],
          ['fixed'],
          [attr.ints('shape', [8]), attr.float('seed', 7)],
          'fixed',
        ),
      ],
      initializer: [
        f32Tensor('ratio', [], [0.5]),
        rawTensor('training', 'BOOL', [], new Uint8Array([1])),
      ],
      input: [valueInfo('x', [8])],
      output: [
        valueInfo('u', [8]),
        valueInfo('n', [8]),
        valueInfo('ul', [8]),
        valueInfo('b', [8]),
        valueInfo('d', [8]),
        valueInfo('fixed', [8]),
      ],
    }),
    15,
  );
}

/** A checkpoint with the same tensors as `source` but float values replaced by `quarters`. */
export function replacementCheckpoint(source: Checkpoint, offset: number): Checkpoint {
  return createCheckpoint(
    [...source.tensors].map(([name, tensor], index) => {
      const count = tensor.data.byteLength / 4;
      let values = quarters(count, offset + index * 3);
      if (name === 'var') values = values.map((v) => Math.abs(v) + 0.5);
      return [name, { ...tensor, data: f32(values) }];
    }),
  );
}

// Plain-JS reference math -------------------------------------------------------------

export function matmul(
  a: readonly number[],
  b: readonly number[],
  m: number,
  k: number,
  n: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i * k + p]! * b[p * n + j]!;
      out.push(Math.fround(sum));
    }
  }
  return out;
}

export function transpose(a: readonly number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(a[i * cols + j]!);
  return out;
}

/** NCHW conv, stride 1, symmetric padding `pad`, kernel [O,I,kh,kw], batch 1. */
export function conv2d(
  x: readonly number[],
  [channels, height, width]: readonly [number, number, number],
  kernel: readonly number[],
  [outChannels, kh, kw]: readonly [number, number, number],
  bias: readonly number[],
  pad: number,
): number[] {
  const out: number[] = [];
  for (let o = 0; o < outChannels; o++) {
    for (let y = 0; y < height; y++) {
      for (let xx = 0; xx < width; xx++) {
        let sum = bias[o]!;
        for (let c = 0; c < channels; c++) {
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const sy = y + i - pad;
              const sx = xx + j - pad;
              if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
              sum +=
                x[c * height * width + sy * width + sx]! *
                kernel[((o * channels + c) * kh + i) * kw + j]!;
            }
          }
        }
        out.push(Math.fround(sum));
      }
    }
  }
  return out;
}

export function batchNorm(
  x: readonly number[],
  channels: number,
  spatial: number,
  p: {
    scale: readonly number[];
    bias: readonly number[];
    mean: readonly number[];
    variance: readonly number[];
    epsilon: number;
  },
): number[] {
  return x.map((value, index) => {
    const c = Math.floor(index / spatial) % channels;
    return (
      ((value - p.mean[c]!) / Math.sqrt(p.variance[c]! + p.epsilon)) * p.scale[c]! + p.bias[c]!
    );
  });
}
