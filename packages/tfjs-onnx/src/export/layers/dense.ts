import { type LayerConverter, singleInput } from '../layer-context.js';
import { applyConfiguredActivation } from './activation-layers.js';

/**
 * Dense: the tfjs kernel is `[in, out]`, exactly MatMul's B, so it is used as stored (no
 * Gemm `transB`). MatMul also covers inputs of rank > 2, like tfjs' dot on the last axis.
 */
export const denseLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  let y = graph.node('MatMul', [singleInput(context).name, context.weight('kernel')], {}, path);
  if (context.hasWeight('bias')) y = graph.node('Add', [y, context.weight('bias')], {}, path);
  return [applyConfiguredActivation(context, y)];
};
