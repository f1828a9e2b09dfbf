import {
  type CheckpointTensor,
  checkEpsilon,
  concatTensors,
  dtypeSize,
  elementCount,
  foldEpsilonIntoScale,
  reorderGates,
  reshapeTensor,
  stackTensors,
  type TensorTransform,
  tensorTransforms,
  transposeTensor,
} from '@reprokit/core';
import { flattenedRows } from './dense-rules.js';
import { depthwiseToOnnx } from './depthwise-layout.js';
import {
  kerasWeight,
  type LayerPair,
  type PairOptions,
  pairError,
  type Rule,
  requireKerasWeight,
  zerosTransform,
} from './layer-pair.js';
import { stringAttribute } from './onnx-graph-info.js';
import type { OnnxWeightRef } from './onnx-weighted-nodes.js';
import { preluInverseRules } from './prelu-rules.js';
import { separableInverseRules } from './separable-rules.js';

/**
 * The rules that write a pair's tfjs weights back into the ONNX initializers: each the
 * inverse of the ONNX -> Keras rule (the pair was validated by `onnxToKerasRules` first).
 * Two ONNX biases that Keras keeps summed (recurrent `Wb + Rb`) come back as `Wb = bias,
 * Rb = 0`, which computes the same.
 */
export function kerasToOnnxRules(pair: LayerPair, options: PairOptions): Rule[] {
  switch (pair.onnx.kind) {
    case 'dense':
      return denseInverse(pair, options);
    case 'conv':
    case 'convTranspose':
      return convolutionInverse(pair);
    case 'batchNorm':
    case 'layerNorm':
      return normalizationInverse(pair, options);
    case 'embedding':
      return [{ from: requireKerasWeight(pair, 'embeddings').name, to: onnx(pair, 'weight').name }];
    case 'lstm':
    case 'gru':
      return recurrentInverse(pair);
    case 'prelu':
      return preluInverseRules(pair);
  }
}

function onnx(pair: LayerPair, role: string): OnnxWeightRef {
  return pair.onnx.weights.get(role)!;
}

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((axis, index) => {
    inverse[axis] = index;
  });
  return inverse;
}

function biasInverse(pair: LayerPair, sourceForZeros: string): Rule[] {
  const target = pair.onnx.weights.get('bias');
  const source = kerasWeight(pair, 'bias');
  if (target === undefined) {
    if (source !== undefined) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `the tfjs layer has a bias "${source.name}" but the ONNX node has no bias input to take it`,
      );
    }
    return [];
  }
  if (source === undefined) {
    return [
      {
        from: sourceForZeros,
        to: target.name,
        transforms: [zerosTransform(target.shape, 'the tfjs layer has no bias')],
      },
    ];
  }
  const transforms =
    source.shape.length === target.shape.length ? [] : [tensorTransforms.reshape(target.shape)];
  return [{ from: source.name, to: target.name, transforms }];
}

function denseInverse(pair: LayerPair, options: PairOptions): Rule[] {
  const weight = onnx(pair, 'weight');
  const kernel = requireKerasWeight(pair, 'kernel');
  const transforms: TensorTransform[] = [];
  const flattened = flattenedRows(pair, options);
  if (flattened !== undefined) {
    const units = kernel.shape[1] ?? 0;
    const spatial = flattened.slice(0, -1);
    const channels = flattened[flattened.length - 1]!;
    const perm = [spatial.length, ...spatial.map((_, index) => index), spatial.length + 1];
    transforms.push(
      tensorTransforms.custom(
        `reorder flattened input rows channels-last -> channels-first ([${flattened.join(',')}] -> [${[channels, ...spatial].join(',')}])`,
        (tensor, name) =>
          reshapeTensor(
            transposeTensor(reshapeTensor(tensor, [...flattened, units], name), perm, name),
            [elementCount(flattened), units],
            name,
          ),
      ),
    );
  }
  if (pair.onnx.outputMajor === true) {
    transforms.push(
      tensorTransforms.custom('transpose [1,0] ([in,out] -> [out,in])', (tensor, name) =>
        transposeTensor(tensor, [1, 0], name),
      ),
    );
  }
  return [{ from: kernel.name, to: weight.name, transforms }, ...biasInverse(pair, kernel.name)];
}

function convolutionInverse(pair: LayerPair): Rule[] {
  if (pair.keras.className === 'SeparableConv2D') return separableInverseRules(pair);
  const weight = onnx(pair, 'weight');
  if (pair.keras.className === 'DepthwiseConv2D') {
    const kernel = requireKerasWeight(pair, 'depthwise_kernel');
    return [
      {
        from: kernel.name,
        to: weight.name,
        transforms: [depthwiseToOnnx(weight.shape)],
      },
      ...biasInverse(pair, kernel.name),
    ];
  }
  const kernel = requireKerasWeight(pair, 'kernel');
  const rank = weight.shape.length;
  const forward = [...Array.from({ length: rank - 2 }, (_, index) => index + 2), 1, 0];
  const perm = inversePermutation(forward);
  const transposed = pair.onnx.kind === 'convTranspose';
  const k = 'k'.repeat(rank - 2);
  return [
    {
      from: kernel.name,
      to: weight.name,
      transforms: [
        tensorTransforms.custom(
          `transpose [${perm.join(',')}] (${k}${transposed ? 'OI' : 'IO'} -> ${transposed ? 'IO' : 'OI'}${k})`,
          (tensor, name) => transposeTensor(tensor, perm, name),
        ),
      ],
    },
    ...biasInverse(pair, kernel.name),
  ];
}

function normalizationInverse(pair: LayerPair, options: PairOptions): Rule[] {
  const layerNorm = pair.onnx.kind === 'layerNorm';
  const epsilonAttribute = pair.onnx.node.attributes.get('epsilon');
  const onnxEpsilon = typeof epsilonAttribute === 'number' ? epsilonAttribute : 1e-5;
  const kerasEpsilon =
    typeof pair.keras.config.epsilon === 'number' ? pair.keras.config.epsilon : 1e-3;
  const policy = layerNorm && options.epsilon === 'fold' ? 'error' : options.epsilon;
  const scale = onnx(pair, 'scale');
  const gamma = kerasWeight(pair, 'gamma');
  const note = checkEpsilon(kerasEpsilon, onnxEpsilon, policy, scale.name);
  const rules: Rule[] = [];
  if (gamma === undefined) {
    rules.push({
      from: requireKerasWeight(pair, layerNorm ? 'beta' : 'moving_variance').name,
      to: scale.name,
      transforms: [onesTransform(scale.shape)],
    });
  } else if (note.startsWith('fold')) {
    const variance = requireKerasWeight(pair, 'moving_variance');
    rules.push({
      from: [gamma.name, variance.name],
      to: scale.name,
      combine: {
        description: note.replace('into gamma', 'into scale'),
        apply: ([g, v], name) => foldEpsilonIntoScale(g!, v!, kerasEpsilon, onnxEpsilon, name),
      },
    });
  } else {
    rules.push({ from: gamma.name, to: scale.name, notes: [note] });
  }
  const pairs: Array<[string, string]> = layerNorm
    ? [['beta', 'bias']]
    : [
        ['beta', 'bias'],
        ['moving_mean', 'mean'],
        ['moving_variance', 'variance'],
      ];
  for (const [kerasRole, onnxRole] of pairs) {
    const target = pair.onnx.weights.get(onnxRole);
    const source = kerasWeight(pair, kerasRole);
    if (target === undefined) continue;
    rules.push(
      source === undefined
        ? {
            from: [...pair.keras.weights.values()][0]!.name,
            to: target.name,
            transforms: [zerosTransform(target.shape, `the tfjs layer has no ${kerasRole}`)],
          }
        : { from: source.name, to: target.name },
    );
  }
  return rules;
}

function onesTransform(shape: readonly number[]): TensorTransform {
  return tensorTransforms.custom(`ones [${shape.join(',')}] (the tfjs layer has no gamma)`, () => {
    const data = new Float32Array(elementCount(shape)).fill(1);
    return { dtype: 'F32', shape: [...shape], data: new Uint8Array(data.buffer) };
  });
}

function recurrentInverse(pair: LayerPair): Rule[] {
  const lstm = pair.onnx.kind === 'lstm';
  const direction = stringAttribute(pair.onnx.node, 'direction', 'forward');
  const directions = direction === 'bidirectional' ? 2 : 1;
  const prefixes = directions === 2 ? ['forward/', 'backward/'] : [''];
  const weight = onnx(pair, 'weight');
  const recurrence = onnx(pair, 'recurrence');
  const bias = pair.onnx.weights.get('bias');
  const order = lstm ? ' and reorder gates ifco->iofc' : '';
  const toOnnx = (tensor: CheckpointTensor, name: string) => {
    const transposed = transposeTensor(tensor, [1, 0], name);
    return lstm ? reorderGates(transposed, 0, 'ifco', 'iofc', name) : transposed;
  };
  const stacked = (role: string, target: OnnxWeightRef): Rule => ({
    from: prefixes.map((prefix) => requireKerasWeight(pair, `${prefix}${role}`).name),
    to: target.name,
    combine: {
      description: `transpose [1,0]${order} per direction, then stack ${directions} direction(s)`,
      apply: (tensors, name) =>
        stackTensors(
          tensors.map((tensor) => toOnnx(tensor, name)),
          name,
        ),
    },
  });
  const rules: Rule[] = [stacked('kernel', weight), stacked('recurrent_kernel', recurrence)];
  const kerasBiases = prefixes.map((prefix) => kerasWeight(pair, `${prefix}bias`));
  if (bias === undefined) {
    if (kerasBiases.some((entry) => entry !== undefined)) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        'the tfjs layer has a bias but the ONNX node has no B input to take it',
      );
    }
    return rules;
  }
  if (kerasBiases.some((entry) => entry === undefined)) {
    rules.push({
      from: rules[0]!.from,
      to: bias.name,
      combine: {
        description: `zeros [${bias.shape.join(',')}] (the tfjs layer has no bias)`,
        apply: ([first]) => ({
          dtype: first!.dtype,
          shape: [...bias.shape],
          data: new Uint8Array(elementCount(bias.shape) * dtypeSize(first!.dtype)),
        }),
      },
    });
    return rules;
  }
  rules.push({
    from: kerasBiases.map((entry) => entry!.name),
    to: bias.name,
    combine: {
      description: `Wb = bias${lstm ? ' (gates ifco->iofc)' : ''}, Rb = 0, per direction, then stack ${directions} direction(s)`,
      apply: (tensors, name) =>
        stackTensors(
          tensors.map((tensor) => {
            const ordered = lstm ? reorderGates(tensor, 0, 'ifco', 'iofc', name) : tensor;
            const zeros = { ...ordered, data: new Uint8Array(ordered.data.byteLength) };
            return concatTensors([ordered, zeros], 0, name);
          }),
          name,
        ),
    },
  });
  return rules;
}
