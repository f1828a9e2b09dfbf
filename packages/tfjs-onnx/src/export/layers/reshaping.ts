import { configNumber, type LayerConverter, singleInput } from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';

/** Flatten in tfjs' NHWC order: every layer keeps tfjs' layout, so ONNX Flatten(axis=1) matches. */
export const flattenLayer: LayerConverter = (context) => {
  if (context.config.dataFormat === 'channelsFirst') {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'Flatten with dataFormat channelsFirst');
  }
  return [
    context.graph.node('Flatten', [singleInput(context).name], { axis: attr.int(1) }, context.path),
  ];
};

/** Reshape: the batch dimension is copied (`0`) so it stays dynamic. */
export const reshapeLayer: LayerConverter = (context) => {
  const target = context.config.targetShape;
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number' || d === null)) {
    context.fail('ONNX_EXPORT_INVALID_MODEL', 'config "targetShape" is not a shape');
  }
  const shape = [0, ...(target as (number | null)[]).map((d) => (d === null ? -1 : d))];
  return [
    context.graph.node(
      'Reshape',
      [singleInput(context).name, context.graph.int64s(shape)],
      {},
      context.path,
    ),
  ];
};

/** Permute: tfjs `dims` are 1-based and leave the batch axis in place. */
export const permuteLayer: LayerConverter = (context) => {
  const dims = context.config.dims;
  if (!Array.isArray(dims))
    context.fail('ONNX_EXPORT_INVALID_MODEL', 'config "dims" is not a list');
  return [
    context.graph.node(
      'Transpose',
      [singleInput(context).name],
      { perm: attr.ints([0, ...(dims as number[])]) },
      context.path,
    ),
  ];
};

/** RepeatVector: `[N, d]` to `[N, n, d]`. */
export const repeatVectorLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const n = configNumber(context, 'n', 1);
  const expanded = graph.node(
    'Unsqueeze',
    [singleInput(context).name, graph.int64s([1])],
    {},
    path,
  );
  return [graph.node('Tile', [expanded, graph.int64s([1, n, 1])], {}, path)];
};
