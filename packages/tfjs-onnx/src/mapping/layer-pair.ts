import {
  type CheckpointTensor,
  dtypeSize,
  type EpsilonPolicy,
  elementCount,
  formatShape,
  MappingError,
  type TensorTransform,
  tensorTransforms,
} from '@reprokit/core';
import type { KerasWeight, KerasWeightedLayer } from './keras-weighted-layers.js';
import {
  describeOnnxNode,
  type OnnxWeightedNode,
  type OnnxWeightRef,
} from './onnx-weighted-nodes.js';

/** Options every layer's rules see (resolved defaults of `OnnxToKerasOptions`). */
export interface PairOptions {
  readonly epsilon: EpsilonPolicy;
  readonly flatten: 'auto' | 'always' | 'keep';
}

/** One ONNX node paired with the Keras layer that takes its weights. */
export interface LayerPair {
  readonly onnx: OnnxWeightedNode;
  readonly keras: KerasWeightedLayer;
  /** SeparableConv2D only: the 1x1 Conv that follows the depthwise Conv `onnx`. */
  readonly second?: OnnxWeightedNode;
}

export const ORIGIN = 'tfjs-onnx';

export function describeKerasLayer(layer: KerasWeightedLayer): string {
  return `${layer.bidirectional ? `Bidirectional(${layer.className})` : layer.className} "${layer.path}"`;
}

/** A typed error about one pair, naming both sides. */
export function pairError(
  pair: LayerPair,
  code: string,
  message: string,
  tensor?: string,
): MappingError {
  return new MappingError({
    code,
    origin: ORIGIN,
    message: `${describeOnnxNode(pair.onnx)}${pair.second === undefined ? '' : ` + ${describeOnnxNode(pair.second)}`} -> ${describeKerasLayer(pair.keras)}: ${message}`,
    ...(tensor === undefined ? {} : { tensor }),
  });
}

export function kerasWeight(pair: LayerPair, role: string): KerasWeight | undefined {
  return pair.keras.weights.get(role);
}

export function requireKerasWeight(pair: LayerPair, role: string): KerasWeight {
  const weight = kerasWeight(pair, role);
  if (weight === undefined) {
    throw pairError(
      pair,
      'MAPPING_LAYER_MISMATCH',
      `the tfjs layer has no "${role}" weight (it has ${[...pair.keras.weights.keys()].join(', ')})`,
    );
  }
  return weight;
}

export function onnxWeight(pair: LayerPair, role: string): OnnxWeightRef | undefined {
  return pair.onnx.weights.get(role);
}

/** Throws `MAPPING_SHAPE_MISMATCH` unless `actual` equals `expected`. */
export function expectShape(
  pair: LayerPair,
  source: OnnxWeightRef,
  actual: readonly number[],
  target: KerasWeight,
  layout: string,
): void {
  if (actual.length !== target.shape.length || actual.some((dim, i) => dim !== target.shape[i])) {
    throw pairError(
      pair,
      'MAPPING_SHAPE_MISMATCH',
      `initializer "${source.name}" ${formatShape(source.shape)} (${layout}) gives ${formatShape(actual)}, but "${target.name}" is ${formatShape(target.shape)}`,
      target.name,
    );
  }
}

/** A transform that ignores its input and makes zeros of `shape` (a bias ONNX leaves out). */
export function zerosTransform(shape: readonly number[], why: string): TensorTransform {
  return tensorTransforms.custom(`zeros ${formatShape(shape)} (${why})`, (tensor) => ({
    dtype: tensor.dtype,
    shape: [...shape],
    data: new Uint8Array(elementCount(shape) * dtypeSize(tensor.dtype)),
  }));
}

/** Bias of Gemm (`C`, maybe `[1,out]`), Conv or MatMul+Add into a Keras `[out]` bias. */
export function biasRule(
  pair: LayerPair,
  fallbackSource: OnnxWeightRef,
  role = 'bias',
  onnxRole = 'bias',
): Array<{ from: string; to: string; transforms: TensorTransform[] }> {
  const target = kerasWeight(pair, role);
  const source = onnxWeight(pair, onnxRole);
  if (target === undefined) {
    if (source !== undefined) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `the ONNX node has a bias "${source.name}" but the tfjs layer has none: build it with useBias: true`,
      );
    }
    return [];
  }
  if (source === undefined) {
    return [
      {
        from: fallbackSource.name,
        to: target.name,
        transforms: [zerosTransform(target.shape, 'the ONNX node has no bias')],
      },
    ];
  }
  const transforms: TensorTransform[] = [];
  if (elementCount(source.shape) !== elementCount(target.shape)) {
    expectShape(pair, source, source.shape, target, 'bias');
  }
  if (source.shape.length !== target.shape.length) {
    transforms.push(tensorTransforms.reshape(target.shape));
  }
  return [{ from: source.name, to: target.name, transforms }];
}

export type Rule = {
  readonly from: string | readonly string[];
  readonly to: string;
  readonly transforms?: readonly TensorTransform[];
  readonly notes?: readonly string[];
  readonly combine?: {
    readonly description: string;
    apply(tensors: readonly CheckpointTensor[], name: string): CheckpointTensor;
  };
};
