import {
  configNumber,
  type LayerContext,
  type LayerConverter,
  singleInput,
} from '../layer-context.js';
import type { LayoutStep } from '../weight-layout.js';

function normalisedAxes(context: LayerContext, rank: number, fallback: number): number[] {
  const raw = context.config.axis ?? fallback;
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((axis) => typeof axis === 'number')) {
    context.fail('ONNX_EXPORT_INVALID_MODEL', `config "axis" is not a number list`);
  }
  return (list as number[]).map((axis) => (axis < 0 ? axis + rank : axis)).sort((a, b) => a - b);
}

/** Reshape a parameter of the normalised axes so that it broadcasts against the input. */
function broadcastLayout(shape: readonly (number | null)[], axes: readonly number[]): LayoutStep[] {
  const rank = shape.length;
  if (axes.length === 1 && axes[0] === rank - 1) return [];
  return [
    {
      kind: 'reshape',
      shape: shape.map((dim, i) => (axes.includes(i) ? (dim ?? 1) : 1)),
    },
  ];
}

/**
 * The tfjs batchNorm formula, node for node: `beta + (x - mean) * gamma / sqrt(var + eps)`,
 * with the layer's own epsilon (tfjs default 1e-3, not ONNX's 1e-5).
 */
function normalise(
  context: LayerContext,
  x: string,
  mean: string,
  variance: string,
  layout: readonly LayoutStep[],
): string {
  const { graph, path } = context;
  let y = graph.node('Sub', [x, mean], {}, path);
  if (context.hasWeight('gamma'))
    y = graph.node('Mul', [y, context.weight('gamma', layout)], {}, path);
  const epsilon = graph.floats([configNumber(context, 'epsilon', 1e-3)]);
  const deviation = graph.node(
    'Sqrt',
    [graph.node('Add', [variance, epsilon], {}, path)],
    {},
    path,
  );
  y = graph.node('Div', [y, deviation], {}, path);
  if (context.hasWeight('beta'))
    y = graph.node('Add', [y, context.weight('beta', layout)], {}, path);
  return y;
}

/** BatchNormalization at inference: moving statistics, any single axis (default last). */
export const batchNormalizationLayer: LayerConverter = (context) => {
  const input = singleInput(context);
  const axes = normalisedAxes(context, input.shape.length, -1);
  // tfjs 4.22 applies the parameters of a non-last axis cyclically along the last axis
  // (flat index modulo C), not per channel of `axis`: no ONNX graph should copy that.
  if (axes.length !== 1 || axes[0] !== input.shape.length - 1) {
    context.fail(
      'ONNX_EXPORT_UNSUPPORTED_OPTION',
      `BatchNormalization on axis ${String(context.config.axis)} (only the last axis is exported)`,
    );
  }
  const layout = broadcastLayout(input.shape, axes);
  const mean = context.weight('moving_mean', layout);
  const variance = context.weight('moving_variance', layout);
  return [normalise(context, input.name, mean, variance, layout)];
};

/** LayerNormalization: mean and (biased) variance over the axes, as tf.moments computes them. */
export const layerNormalizationLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const input = singleInput(context);
  const axes = normalisedAxes(context, input.shape.length, -1);
  if (axes.includes(0))
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'normalising the batch axis');
  const mean = graph.reduce('ReduceMean', input.name, axes, true, path);
  const centred = graph.node('Sub', [input.name, mean], {}, path);
  const variance = graph.reduce(
    'ReduceMean',
    graph.node('Mul', [centred, centred], {}, path),
    axes,
    true,
    path,
  );
  return [normalise(context, input.name, mean, variance, broadcastLayout(input.shape, axes))];
};
