import { checkEpsilon, foldEpsilonIntoScale } from '@reprokit/core';
import {
  expectShape,
  kerasWeight,
  type LayerPair,
  type PairOptions,
  pairError,
  type Rule,
  requireKerasWeight,
} from './layer-pair.js';
import type { OnnxWeightRef } from './onnx-weighted-nodes.js';

/**
 * BatchNormalization (scale, B, mean, var) into Keras gamma, beta, moving_mean,
 * moving_variance, with the ONNX epsilon compared to the layer's (policy `epsilon`).
 * LayerNormalization (Scale, B) into gamma, beta, same epsilon check (no fold: there is no
 * variance to fold into).
 */
export function normalizationRules(pair: LayerPair, options: PairOptions): Rule[] {
  const layerNorm = pair.onnx.kind === 'layerNorm';
  const onnxEpsilon = numberAttribute(pair, 'epsilon', 1e-5);
  const kerasEpsilon =
    typeof pair.keras.config.epsilon === 'number' ? pair.keras.config.epsilon : 1e-3;
  if (layerNorm) {
    const axis = pair.onnx.node.attributes.get('axis') ?? -1;
    if (axis !== -1) {
      throw pairError(
        pair,
        'MAPPING_UNSUPPORTED_ATTRIBUTE',
        `axis=${axis}: only the last axis (-1) is mapped`,
      );
    }
  }
  const scale = pair.onnx.weights.get('scale')!;
  const gamma = kerasWeight(pair, 'gamma');
  const anchor =
    gamma?.name ?? requireKerasWeight(pair, layerNorm ? 'beta' : 'moving_variance').name;
  const policy = layerNorm && options.epsilon === 'fold' ? 'error' : options.epsilon;
  const note = checkEpsilon(onnxEpsilon, kerasEpsilon, policy, anchor);
  const folding = note.startsWith('fold');
  const rules: Rule[] = [];
  const plain = (onnxRole: string, kerasRole: string, source: OnnxWeightRef | undefined) => {
    const target = kerasWeight(pair, kerasRole);
    if (target === undefined && source === undefined) return;
    if (target === undefined) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `the ONNX node has "${onnxRole}" but the tfjs layer has no ${kerasRole} (build it with ${kerasRole === 'gamma' ? 'scale' : 'center'}: true)`,
      );
    }
    if (source === undefined) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `the ONNX node has no "${onnxRole}" for ${target.name}`,
      );
    }
    expectShape(pair, source, source.shape, target, onnxRole);
    rules.push({ from: source.name, to: target.name });
  };
  const variance = pair.onnx.weights.get('variance');
  if (gamma !== undefined && folding && variance !== undefined) {
    expectShape(pair, scale, scale.shape, gamma, 'scale');
    rules.push({
      from: [scale.name, variance.name],
      to: gamma.name,
      combine: {
        description: note,
        apply: ([s, v], name) => foldEpsilonIntoScale(s!, v!, onnxEpsilon, kerasEpsilon, name),
      },
    });
  } else {
    if (folding) {
      throw pairError(
        pair,
        'MAPPING_EPSILON_MISMATCH',
        gamma === undefined
          ? 'cannot fold the epsilon: the tfjs layer has no gamma (scale: false)'
          : 'cannot fold the epsilon: the variance is not an initializer',
      );
    }
    plain('scale', 'gamma', scale);
  }
  plain('B', 'beta', pair.onnx.weights.get('bias'));
  if (!layerNorm) {
    plain('mean', 'moving_mean', pair.onnx.weights.get('mean'));
    plain('var', 'moving_variance', pair.onnx.weights.get('variance'));
  }
  if (!folding) {
    const first = rules.find((rule) => rule.to === anchor) ?? rules[0];
    if (first !== undefined) rules[rules.indexOf(first)] = { ...first, notes: [note] };
  }
  return rules;
}

function numberAttribute(pair: LayerPair, name: string, fallback: number): number {
  const value = pair.onnx.node.attributes.get(name);
  return typeof value === 'number' ? value : fallback;
}
