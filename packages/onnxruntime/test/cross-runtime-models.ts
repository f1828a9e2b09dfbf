/**
 * Models whose outputs onnxruntime-node and onnxruntime-web are compared on, bit for bit: an
 * MLP (Gemm, Relu, Softmax) and a small conv net, with weights and inputs drawn from a seeded
 * generator (so the float sums are not exact, unlike the `quarters` of onnx-model-builder.ts,
 * and a different summation order would show), and the random-op model seeded through reprokit.
 */
import { createRng } from '@reprokit/core';
import type { OnnxModel } from '../src/index.js';
import {
  attr,
  denseModel,
  f32Tensor,
  graph,
  model,
  node,
  randomModel,
  valueInfo,
} from './onnx-model-builder.js';

/** One input of a case: float32 values and their shape. */
export interface CrossRuntimeFeed {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

/** A model, its inputs, the outputs to compare, and the seed `createSession` stamps on it. */
export interface CrossRuntimeCase {
  readonly name: string;
  readonly model: OnnxModel;
  readonly feeds: readonly CrossRuntimeFeed[];
  readonly outputs: readonly string[];
  readonly seed?: number;
}

/** `count` float32 values uniform in [-scale, scale), from the generator seeded with `seed`. */
export function seededFloats(count: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => (rng.next() * 2 - 1) * scale);
}

const MLP = { batch: 8, input: 64, hidden: 128, output: 10 };

/** y = x·W on x [1, 64], W [64, 16]: one MatMul, to see how each runtime sums. */
export function matMulModel(): OnnxModel {
  return model(
    graph({
      node: [node('MatMul', ['x', 'W'], ['y'], [], 'matmul')],
      initializer: [f32Tensor('W', [64, 16], [...seededFloats(64 * 16, 1, 0.25)])],
      input: [valueInfo('x', [1, 64])],
      output: [valueInfo('y', [1, 16])],
    }),
  );
}

/** Softmax(Relu(x·W1 + B1)·W2 + B2) on x [8, 64]: 64-128-10, both layers Gemm. */
export function mlpModel(): OnnxModel {
  const { batch, input, hidden, output } = MLP;
  return model(
    graph({
      node: [
        node('Gemm', ['x', 'W1', 'B1'], ['h'], [], 'dense1'),
        node('Relu', ['h'], ['r'], [], 'relu'),
        node('Gemm', ['r', 'W2', 'B2'], ['logits'], [], 'dense2'),
        node('Softmax', ['logits'], ['probabilities'], [attr.int('axis', -1)], 'softmax'),
      ],
      initializer: [
        f32Tensor('W1', [input, hidden], [...seededFloats(input * hidden, 1, 0.25)]),
        f32Tensor('B1', [hidden], [...seededFloats(hidden, 2, 0.1)]),
        f32Tensor('W2', [hidden, output], [...seededFloats(hidden * output, 3, 0.25)]),
        f32Tensor('B2', [output], [...seededFloats(output, 4, 0.1)]),
      ],
      input: [valueInfo('x', [batch, input])],
      output: [valueInfo('logits', [batch, output]), valueInfo('probabilities', [batch, output])],
    }),
  );
}

/**
 * x [2, 3, 16, 16] → Conv 3x3 (8 channels, pad 1) → Relu → MaxPool 2x2 → Conv 3x3 (16, pad 1)
 * → Relu → GlobalAveragePool → Flatten → Gemm (16→10) → Softmax.
 */
export function convNetModel(): OnnxModel {
  const pool = [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])];
  const conv = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])];
  return model(
    graph({
      node: [
        node('Conv', ['x', 'K1', 'C1'], ['c1'], conv, 'conv1'),
        node('Relu', ['c1'], ['r1'], [], 'relu1'),
        node('MaxPool', ['r1'], ['p1'], pool, 'pool1'),
        node('Conv', ['p1', 'K2', 'C2'], ['c2'], conv, 'conv2'),
        node('Relu', ['c2'], ['r2'], [], 'relu2'),
        node('GlobalAveragePool', ['r2'], ['g'], [], 'gap'),
        node('Flatten', ['g'], ['f'], [], 'flatten'),
        node('Gemm', ['f', 'W', 'B'], ['logits'], [], 'dense'),
        node('Softmax', ['logits'], ['probabilities'], [attr.int('axis', -1)], 'softmax'),
      ],
      initializer: [
        f32Tensor('K1', [8, 3, 3, 3], [...seededFloats(8 * 3 * 9, 11, 0.5)]),
        f32Tensor('C1', [8], [...seededFloats(8, 12, 0.1)]),
        f32Tensor('K2', [16, 8, 3, 3], [...seededFloats(16 * 8 * 9, 13, 0.25)]),
        f32Tensor('C2', [16], [...seededFloats(16, 14, 0.1)]),
        f32Tensor('W', [16, 10], [...seededFloats(160, 15, 0.5)]),
        f32Tensor('B', [10], [...seededFloats(10, 16, 0.1)]),
      ],
      input: [valueInfo('x', [2, 3, 16, 16])],
      output: [valueInfo('g', [2, 16, 1, 1]), valueInfo('probabilities', [2, 10])],
    }),
  );
}

/** The cases, in the order they are reported. */
export function crossRuntimeCases(): CrossRuntimeCase[] {
  return [
    {
      // Weights and inputs k/4: every product and sum is exact in float32, in any order.
      name: 'dense-exact',
      model: denseModel(),
      feeds: [{ name: 'x', dims: [1, 3], values: new Float32Array([0.5, -1, 2]) }],
      outputs: ['y', 'z'],
    },
    {
      name: 'matmul',
      model: matMulModel(),
      feeds: [{ name: 'x', dims: [1, 64], values: seededFloats(64, 5) }],
      outputs: ['y'],
    },
    {
      name: 'mlp',
      model: mlpModel(),
      feeds: [
        { name: 'x', dims: [MLP.batch, MLP.input], values: seededFloats(MLP.batch * MLP.input, 5) },
      ],
      outputs: ['logits', 'probabilities'],
    },
    {
      name: 'conv-net',
      model: convNetModel(),
      feeds: [{ name: 'x', dims: [2, 3, 16, 16], values: seededFloats(2 * 3 * 16 * 16, 17) }],
      outputs: ['g', 'probabilities'],
    },
    {
      // RandomUniform, RandomNormal, RandomUniformLike, Bernoulli, Dropout (training), and a
      // RandomUniform with its own seed 7; createSession stamps seeds derived from 42 on the rest.
      name: 'random-ops',
      model: randomModel(),
      feeds: [{ name: 'x', dims: [8], values: new Float32Array(8).fill(1) }],
      outputs: ['u', 'n', 'ul', 'b', 'd', 'fixed'],
      seed: 42,
    },
  ];
}
