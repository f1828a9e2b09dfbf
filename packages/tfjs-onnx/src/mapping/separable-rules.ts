import { type CheckpointTensor, MappingError, tensorTransforms } from '@reprokit/core';
import { checkConvolutionGeometry } from './convolution-geometry.js';
import { depthwiseToKeras, depthwiseToOnnx } from './depthwise-layout.js';
import {
  expectShape,
  kerasWeight,
  type LayerPair,
  ORIGIN,
  pairError,
  type Rule,
  requireKerasWeight,
  zerosTransform,
} from './layer-pair.js';
import { intAttribute } from './onnx-graph-info.js';
import type { OnnxWeightedNode } from './onnx-weighted-nodes.js';

/**
 * A depthwise Conv (`group = C`) followed by a 1x1 Conv, as PyTorch writes a separable
 * convolution, into one Keras SeparableConv2D: depthwise `[C*m,1,kh,kw]` -> `[kh,kw,C,m]`,
 * pointwise `[F,C*m,1,1]` -> `[1,1,C*m,F]`. A depthwise bias `b1` has no place in Keras and is
 * folded into the pointwise one: `bias = b2 + Wp . b1` (the same function, to float rounding).
 */
export function separableRules(pair: LayerPair): Rule[] {
  const { depthwise, pointwise, channels, multiplier, filters } = checkSeparable(pair);
  const depthKernel = requireKerasWeight(pair, 'depthwise_kernel');
  const pointKernel = requireKerasWeight(pair, 'pointwise_kernel');
  const [kh = 0, kw = 0] = depthKernel.shape;
  const rules: Rule[] = [
    {
      from: depthwise.name,
      to: depthKernel.name,
      transforms: [depthwiseToKeras(channels, multiplier, kh, kw)],
    },
    {
      from: pointwise.name,
      to: pointKernel.name,
      transforms: [tensorTransforms.transpose([2, 3, 1, 0])],
    },
  ];
  const bias = kerasWeight(pair, 'bias');
  const depthBias = pair.onnx.weights.get('bias');
  const pointBias = pair.second!.weights.get('bias');
  if (bias === undefined) {
    if (depthBias !== undefined || pointBias !== undefined) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        'the ONNX convolutions have a bias but the tfjs layer has none: build it with useBias: true',
      );
    }
    return rules;
  }
  if (depthBias === undefined) {
    rules.push(
      pointBias === undefined
        ? {
            from: pointwise.name,
            to: bias.name,
            transforms: [zerosTransform(bias.shape, 'the ONNX convolutions have no bias')],
          }
        : { from: pointBias.name, to: bias.name },
    );
    return rules;
  }
  rules.push({
    from: [pointwise.name, depthBias.name, ...(pointBias === undefined ? [] : [pointBias.name])],
    to: bias.name,
    combine: {
      description: `fold the depthwise bias into the pointwise bias (b2 + Wp . b1)`,
      apply: ([weight, b1, b2]) => foldBias(weight!, b1!, b2, filters, channels * multiplier),
    },
  });
  return rules;
}

/** The inverse: Keras SeparableConv2D weights back into the two ONNX convolutions. */
export function separableInverseRules(pair: LayerPair): Rule[] {
  const { depthwise, pointwise } = checkSeparable(pair);
  const depthKernel = requireKerasWeight(pair, 'depthwise_kernel');
  const pointKernel = requireKerasWeight(pair, 'pointwise_kernel');
  const rules: Rule[] = [
    {
      from: depthKernel.name,
      to: depthwise.name,
      transforms: [depthwiseToOnnx(depthwise.shape)],
    },
    {
      from: pointKernel.name,
      to: pointwise.name,
      transforms: [tensorTransforms.transpose([3, 2, 0, 1])],
    },
  ];
  const bias = kerasWeight(pair, 'bias');
  const depthBias = pair.onnx.weights.get('bias');
  const pointBias = pair.second!.weights.get('bias');
  if (depthBias !== undefined) {
    rules.push({
      from: depthKernel.name,
      to: depthBias.name,
      transforms: [
        zerosTransform(depthBias.shape, 'Keras keeps the whole bias after the pointwise step'),
      ],
    });
  }
  if (pointBias !== undefined) {
    rules.push(
      bias === undefined
        ? {
            from: pointKernel.name,
            to: pointBias.name,
            transforms: [zerosTransform(pointBias.shape, 'the tfjs layer has no bias')],
          }
        : { from: bias.name, to: pointBias.name },
    );
  } else if (bias !== undefined) {
    throw pairError(
      pair,
      'MAPPING_LAYER_MISMATCH',
      'the tfjs layer has a bias but the 1x1 ONNX Conv has no bias input to take it',
    );
  }
  return rules;
}

function checkSeparable(pair: LayerPair) {
  const second: OnnxWeightedNode | undefined = pair.second;
  const depthwise = pair.onnx.weights.get('weight')!;
  const depthKernel = requireKerasWeight(pair, 'depthwise_kernel');
  const pointKernel = requireKerasWeight(pair, 'pointwise_kernel');
  const [kh = 0, kw = 0, channels = 0, multiplier = 0] = depthKernel.shape;
  const filters = pointKernel.shape[3] ?? 0;
  if (second === undefined || second.kind !== 'conv' || pair.onnx.kind !== 'conv') {
    throw pairError(
      pair,
      'MAPPING_LAYER_MISMATCH',
      'a SeparableConv2D takes a depthwise Conv followed by a 1x1 Conv',
    );
  }
  if (intAttribute(pair.onnx.node, 'group', 1) !== channels || depthwise.shape[1] !== 1) {
    throw pairError(
      pair,
      'MAPPING_SHAPE_MISMATCH',
      `the first Conv must be depthwise (group = ${channels}, weight [${channels * multiplier},1,${kh},${kw}])`,
      depthKernel.name,
    );
  }
  expectShape(
    pair,
    depthwise,
    [depthwise.shape[2]!, depthwise.shape[3]!, channels, depthwise.shape[0]! / channels],
    depthKernel,
    'OIHW, group=C',
  );
  const pointwise = second.weights.get('weight')!;
  const pads = second.node.attributes.get('pads');
  const strides = second.node.attributes.get('strides');
  const flat = (value: unknown) => (Array.isArray(value) ? (value as number[]) : []);
  if (
    intAttribute(second.node, 'group', 1) !== 1 ||
    flat(pads).some((pad) => pad !== 0) ||
    flat(strides).some((stride) => stride !== 1)
  ) {
    throw pairError(
      pair,
      'MAPPING_ATTRIBUTE_MISMATCH',
      'the second Conv must be a plain 1x1 Conv (group 1, stride 1, no padding)',
    );
  }
  expectShape(
    pair,
    pointwise,
    [pointwise.shape[2]!, pointwise.shape[3]!, pointwise.shape[1]!, pointwise.shape[0]!],
    pointKernel,
    '[F,C*m,1,1]',
  );
  checkConvolutionGeometry(pair);
  return { depthwise, pointwise, channels, multiplier, filters };
}

function foldBias(
  weight: CheckpointTensor,
  depthBias: CheckpointTensor,
  pointBias: CheckpointTensor | undefined,
  filters: number,
  inner: number,
): CheckpointTensor {
  const floats = (tensor: CheckpointTensor) => new Float32Array(new Uint8Array(tensor.data).buffer);
  if (
    [weight, depthBias, pointBias].some((tensor) => tensor !== undefined && tensor.dtype !== 'F32')
  ) {
    throw new MappingError({
      code: 'MAPPING_DTYPE_UNSUPPORTED',
      origin: ORIGIN,
      message: 'folding a depthwise bias into the pointwise bias needs F32 weights',
    });
  }
  const w = floats(weight);
  const b1 = floats(depthBias);
  const b2 = pointBias === undefined ? new Float32Array(filters) : floats(pointBias);
  const out = new Float32Array(filters);
  for (let f = 0; f < filters; f++) {
    let sum = b2[f]!;
    for (let j = 0; j < inner; j++) sum += w[f * inner + j]! * b1[j]!;
    out[f] = sum;
  }
  return { dtype: 'F32', shape: [filters], data: new Uint8Array(out.buffer) };
}
