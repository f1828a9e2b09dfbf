import { tensorTransforms, transposeTensor } from '@reprokit/core';
import { checkConvolutionGeometry } from './convolution-geometry.js';
import { depthwiseToKeras } from './depthwise-layout.js';
import {
  biasRule,
  expectShape,
  type LayerPair,
  pairError,
  type Rule,
  requireKerasWeight,
} from './layer-pair.js';
import { intAttribute } from './onnx-graph-info.js';
import { separableRules } from './separable-rules.js';

/**
 * ONNX Conv (OIHW, `group`) into Keras Conv1D/2D/3D (`[...k, I, O]`) or DepthwiseConv2D
 * (`[kh, kw, C, m]` from `[C*m, 1, kh, kw]` with `group = C`); ConvTranspose
 * (`[I, O, kh, kw]`) into Conv2DTranspose (`[kh, kw, O, I]`). tfjs convolutions have no
 * `groups`, so other group counts are refused.
 */
export function convolutionRules(pair: LayerPair): Rule[] {
  if (pair.keras.className === 'SeparableConv2D') return separableRules(pair);
  const weight = pair.onnx.weights.get('weight')!;
  checkConvolutionGeometry(pair);
  const group = intAttribute(pair.onnx.node, 'group', 1);
  const className = pair.keras.className;
  const rank = weight.shape.length;
  if (className === 'DepthwiseConv2D') {
    const kernel = requireKerasWeight(pair, 'depthwise_kernel');
    const [kh = 0, kw = 0, channels = 0, multiplier = 0] = kernel.shape;
    if (rank !== 4 || weight.shape[1] !== 1 || group !== channels) {
      throw pairError(
        pair,
        'MAPPING_SHAPE_MISMATCH',
        `a depthwise convolution needs an ONNX Conv with group = ${channels} and weight [${channels * multiplier},1,${kh},${kw}], got group ${group} and ${JSON.stringify(weight.shape)}`,
        kernel.name,
      );
    }
    expectShape(
      pair,
      weight,
      [weight.shape[2]!, weight.shape[3]!, group, weight.shape[0]! / group],
      kernel,
      'OIHW, group=C',
    );
    return [
      {
        from: weight.name,
        to: kernel.name,
        transforms: [depthwiseToKeras(channels, multiplier, kh, kw)],
      },
      ...biasRule(pair, weight),
    ];
  }
  if (group !== 1) {
    throw pairError(
      pair,
      'MAPPING_UNSUPPORTED_ATTRIBUTE',
      `group=${group}: tfjs ${className} has no groups (only group=1, or DepthwiseConv2D for group = input channels)`,
    );
  }
  const kernel = requireKerasWeight(pair, 'kernel');
  const transposed = pair.onnx.kind === 'convTranspose';
  // Conv: [O, I, ...k] -> [...k, I, O]; ConvTranspose: [I, O, ...k] -> [...k, O, I]. Same perm.
  const perm = [...Array.from({ length: rank - 2 }, (_, index) => index + 2), 1, 0];
  expectShape(
    pair,
    weight,
    perm.map((axis) => weight.shape[axis]!),
    kernel,
    transposed ? 'ConvTranspose [I,O,...k]' : 'Conv [O,I,...k]',
  );
  return [
    {
      from: weight.name,
      to: kernel.name,
      transforms: [
        tensorTransforms.custom(
          `transpose [${perm.join(',')}] (${transposed ? 'IO' : 'OI'}${'k'.repeat(rank - 2)} -> ${'k'.repeat(rank - 2)}${transposed ? 'OI' : 'IO'})`,
          (tensor, name) => transposeTensor(tensor, perm, name),
        ),
      ],
    },
    ...biasRule(pair, weight),
  ];
}
