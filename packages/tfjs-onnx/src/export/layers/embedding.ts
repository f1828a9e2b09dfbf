import { type LayerConverter, singleInput } from '../layer-context.js';
import { attr, ONNX_INT32 } from '../onnx-graph-builder.js';

/**
 * Embedding: tfjs casts the (usually float) ids to int32, truncating toward zero, as ONNX Cast
 * does, then gathers rows of `embeddings [vocab, dim]`.
 */
export const embeddingLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const ids = graph.node('Cast', [singleInput(context).name], { to: attr.int(ONNX_INT32) }, path);
  return [graph.node('Gather', [context.weight('embeddings'), ids], { axis: attr.int(0) }, path)];
};
