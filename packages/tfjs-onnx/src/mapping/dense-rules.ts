import {
  reshapeTensor,
  type TensorTransform,
  tensorTransforms,
  transposeTensor,
} from '@reprokit/core';
import {
  biasRule,
  expectShape,
  type LayerPair,
  type PairOptions,
  pairError,
  type Rule,
  requireKerasWeight,
} from './layer-pair.js';
import { intAttribute } from './onnx-graph-info.js';

/**
 * Gemm / MatMul(+Add) into a Keras Dense. The stored layout comes from the graph
 * (Gemm `transB`, Transpose nodes), never from the shape, so a square `[out,in]` weight is
 * transposed as it must be. A Dense right after a Flatten of a channels-last tensor gets its
 * input rows reordered from PyTorch's channels-first flatten order.
 */
export function denseRules(pair: LayerPair, options: PairOptions): Rule[] {
  const { node } = pair.onnx;
  if (node.opType === 'Gemm') {
    const unsupported = [
      intAttribute(node, 'transA', 0) !== 0 ? 'transA=1' : undefined,
      (node.attributes.get('alpha') ?? 1) !== 1
        ? `alpha=${node.attributes.get('alpha')}`
        : undefined,
      (node.attributes.get('beta') ?? 1) !== 1 ? `beta=${node.attributes.get('beta')}` : undefined,
    ].filter((item) => item !== undefined);
    if (unsupported.length > 0) {
      throw pairError(
        pair,
        'MAPPING_UNSUPPORTED_ATTRIBUTE',
        `${unsupported.join(', ')} has no Keras Dense equivalent`,
      );
    }
  }
  const weight = pair.onnx.weights.get('weight')!;
  const kernel = requireKerasWeight(pair, 'kernel');
  const outputMajor = pair.onnx.outputMajor === true;
  const transforms: TensorTransform[] = [];
  const [first = 0, second = 0] = weight.shape;
  const asInOut = outputMajor ? [second, first] : [first, second];
  expectShape(pair, weight, asInOut, kernel, outputMajor ? '[out,in]' : '[in,out]');
  if (outputMajor) {
    transforms.push(
      tensorTransforms.custom('transpose [1,0] ([out,in] -> [in,out])', (tensor, name) =>
        transposeTensor(tensor, [1, 0], name),
      ),
    );
  }
  const flattened = flattenedRows(pair, options);
  if (flattened !== undefined) {
    transforms.push(flattenOrderTransform(flattened, kernel.shape[1] ?? 0));
  }
  return [{ from: weight.name, to: kernel.name, transforms }, ...biasRule(pair, weight)];
}

/**
 * The channels-last shape a Dense's inputs were flattened from, when its kernel rows must be
 * reordered between PyTorch's and Keras' flatten order (see `OnnxToKerasOptions.flatten`).
 */
export function flattenedRows(
  pair: LayerPair,
  options: PairOptions,
): readonly number[] | undefined {
  const flattened = pair.keras.flattenedFrom;
  const source = pair.keras.flattenSource;
  const reorder =
    flattened !== undefined &&
    ((options.flatten === 'auto' && source === 'spatial') ||
      (options.flatten === 'always' && source !== 'permuted'));
  return reorder ? flattened : undefined;
}

/**
 * Kernel rows of a Dense after Flatten: PyTorch flattens `[C, ...spatial]`, Keras
 * `[...spatial, C]`. Moves row `(c, s)` to row `(s, c)`.
 */
function flattenOrderTransform(flattened: readonly number[], units: number): TensorTransform {
  const spatial = flattened.slice(0, -1);
  const channels = flattened[flattened.length - 1]!;
  const rows = flattened.reduce((a, b) => a * b, 1);
  const perm = [...spatial.map((_, index) => index + 1), 0, spatial.length + 1];
  return tensorTransforms.custom(
    `reorder flattened input rows channels-first -> channels-last ([${[channels, ...spatial].join(',')}] -> [${flattened.join(',')}])`,
    (tensor, name) => {
      const split = reshapeTensor(tensor, [channels, ...spatial, units], name);
      return reshapeTensor(transposeTensor(split, perm, name), [rows, units], name);
    },
  );
}
