import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { initializersKeptEmbedded } from '../src/internal/index.js';
import { attr, f32Tensor, graph, model, node, rawTensor, valueInfo } from './onnx-model-builder.js';

const i64 = (name: string, values: readonly number[]) =>
  rawTensor(
    name,
    'I64',
    [values.length],
    new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer),
  );

describe('initializersKeptEmbedded: what ONNX Runtime needs inside the model', () => {
  it('names subgraph initializers, inputs shape inference reads (main graph and outer scope), and control-flow inputs', () => {
    const branch = graph({
      node: [
        node('Reshape', ['x', 'outer_shape'], ['r']),
        node('Add', ['r', 'outer_weight'], ['t']),
        node('Mul', ['t', 'inner'], ['out']),
      ],
      initializer: [f32Tensor('inner', [2], [1, 2])],
      output: [valueInfo('out', [2])],
    });
    const custom = create(NodeProtoSchema, {
      opType: 'Reshape',
      domain: 'com.example',
      input: ['x', 'custom_shape'],
      output: ['c'],
    });
    const onnx = model(
      graph({
        node: [
          node('Squeeze', ['x', 'axes'], ['s']),
          node('MatMul', ['s', 'weight'], ['m']),
          node(
            'If',
            ['cond'],
            ['y'],
            [attr.graph('then_branch', branch), attr.graph('else_branch', branch)],
            'choose',
          ),
          custom,
        ],
        initializer: [
          i64('axes', [0]),
          f32Tensor('weight', [2, 2], [1, 2, 3, 4]),
          rawTensor('cond', 'BOOL', [], new Uint8Array([1])),
          i64('outer_shape', [2]),
          f32Tensor('outer_weight', [2], [5, 6]),
          i64('custom_shape', [2]),
        ],
        output: [valueInfo('y', [2])],
      }),
    );
    expect(Object.fromEntries(initializersKeptEmbedded(onnx.proto))).toEqual({
      axes: 'shape-input',
      cond: 'control-flow-input',
      'choose.then_branch::inner': 'subgraph',
      'choose.else_branch::inner': 'subgraph',
      outer_shape: 'shape-input',
    });
  });
});
