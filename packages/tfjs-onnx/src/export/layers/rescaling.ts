import { configNumber, type LayerConverter, singleInput } from '../layer-context.js';
import { attr, ONNX_FLOAT } from '../onnx-graph-builder.js';

/**
 * Rescaling: `x * scale + offset` after a cast to float32, as tfjs computes it (the cast is a
 * no-op for float inputs and turns int32 ids or pixels into floats).
 */
export const rescalingLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const x = graph.node('Cast', [singleInput(context).name], { to: attr.int(ONNX_FLOAT) }, path);
  const scale = configNumber(context, 'scale', 1);
  const offset = configNumber(context, 'offset', 0);
  const scaled = graph.node('Mul', [x, graph.floats([scale])], {}, path);
  return [graph.node('Add', [scaled, graph.floats([offset])], {}, path)];
};
