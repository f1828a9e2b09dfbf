import {
  configNumber,
  configString,
  type LayerContext,
  type LayerConverter,
  singleInput,
} from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';
import { emitActivation } from './activations.js';

/** Apply the activation named by config `key` (tfjs layers' fused `activation` option). */
export function applyConfiguredActivation(
  context: LayerContext,
  x: string,
  key = 'activation',
): string {
  const name = configString(context, key, 'linear');
  const result = emitActivation(context.graph, x, name, context.path);
  if (result === undefined) {
    context.fail('ONNX_EXPORT_UNSUPPORTED_ACTIVATION', `activation "${name}" is not supported`);
  }
  return result;
}

export const activationLayer: LayerConverter = (context) => [
  applyConfiguredActivation(context, singleInput(context).name),
];

export const reluLayer: LayerConverter = (context) => {
  const x = singleInput(context).name;
  const maxValue = context.config.maxValue;
  if (typeof maxValue === 'number') {
    const graph = context.graph;
    return [graph.node('Clip', [x, graph.floats([0]), graph.floats([maxValue])], {}, context.path)];
  }
  return [context.graph.node('Relu', [x], {}, context.path)];
};

export const leakyReluLayer: LayerConverter = (context) => [
  context.graph.node(
    'LeakyRelu',
    [singleInput(context).name],
    { alpha: attr.float(configNumber(context, 'alpha', 0.3)) },
    context.path,
  ),
];

export const eluLayer: LayerConverter = (context) => [
  context.graph.node(
    'Elu',
    [singleInput(context).name],
    { alpha: attr.float(configNumber(context, 'alpha', 1)) },
    context.path,
  ),
];

export const thresholdedReluLayer: LayerConverter = (context) => [
  context.graph.node(
    'ThresholdedRelu',
    [singleInput(context).name],
    { alpha: attr.float(configNumber(context, 'theta', 1)) },
    context.path,
  ),
];

export const softmaxLayer: LayerConverter = (context) => {
  const axis = context.config.axis;
  // tfjs' Softmax layer defaults to axis 1 (not -1).
  const single = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : undefined) : (axis ?? 1);
  if (typeof single !== 'number') {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', `softmax over several axes (${String(axis)})`);
  }
  return [
    context.graph.node(
      'Softmax',
      [singleInput(context).name],
      { axis: attr.int(single) },
      context.path,
    ),
  ];
};

/** PReLU's alpha already has the input's shape without batch (1 on shared axes): it broadcasts. */
export const preluLayer: LayerConverter = (context) => [
  context.graph.node(
    'PRelu',
    [singleInput(context).name, context.weight('alpha')],
    {},
    context.path,
  ),
];

/** Dropout and noise layers are the identity at inference. */
export const identityLayer: LayerConverter = (context) => [
  context.graph.node('Identity', [singleInput(context).name], {}, context.path),
];
