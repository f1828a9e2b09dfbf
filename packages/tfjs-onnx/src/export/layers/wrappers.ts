import { configString, type LayerConverter, singleInput } from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';
import type { TfLayer } from '../tfjs-structure.js';
import { batchMajor, emitRecurrent, refuseMaskedInput } from './recurrent.js';

const RECURRENT = new Set(['LSTM', 'GRU', 'SimpleRNN']);

/**
 * Bidirectional over LSTM/GRU/SimpleRNN: one ONNX node with `direction=bidirectional`. ONNX
 * aligns the backward pass with input time, which is what tfjs returns after re-reversing it.
 */
export const bidirectionalLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const wrapper = context.layer as TfLayer & { forwardLayer?: TfLayer; backwardLayer?: TfLayer };
  const forward = wrapper.forwardLayer;
  const backward = wrapper.backwardLayer;
  if (forward === undefined || backward === undefined) {
    return context.fail('ONNX_EXPORT_INVALID_MODEL', 'Bidirectional without its two layers');
  }
  const kind = forward.getClassName();
  if (!RECURRENT.has(kind)) {
    context.fail('ONNX_EXPORT_UNSUPPORTED_LAYER', `Bidirectional over ${kind}`);
  }
  refuseMaskedInput(context);
  const out = emitRecurrent(
    context,
    kind as 'LSTM' | 'GRU' | 'SimpleRNN',
    [forward, backward],
    'bidirectional',
    singleInput(context).name,
  );
  const sequences = forward.getConfig().returnSequences === true;
  const axis = sequences ? 1 : 0;
  const halves = graph
    .nodeN(
      'Split',
      [sequences ? out.sequence : out.last, graph.int64s([1, 1])],
      { axis: attr.int(axis) },
      path,
      2,
    )
    .map((half) => {
      const squeezed = graph.node('Squeeze', [half, graph.int64s([axis])], {}, path);
      return sequences ? batchMajor(context, squeezed) : squeezed;
    });
  const [y, yBackward] = halves as [string, string];
  const mergeMode = context.config.mergeMode;
  switch (mergeMode ?? null) {
    case 'concat':
      return [graph.node('Concat', [y, yBackward], { axis: attr.int(-1) }, path)];
    case 'sum':
      return [graph.node('Add', [y, yBackward], {}, path)];
    case 'mul':
      return [graph.node('Mul', [y, yBackward], {}, path)];
    case 'ave':
      return [
        graph.node(
          'Mul',
          [graph.floats([0.5]), graph.node('Add', [y, yBackward], {}, path)],
          {},
          path,
        ),
      ];
    case null:
      return [y, yBackward];
    default:
      return context.fail(
        'ONNX_EXPORT_UNSUPPORTED_OPTION',
        `mergeMode "${configString(context, 'mergeMode', '')}"`,
      );
  }
};

/**
 * TimeDistributed: fold time into batch (`[N, T, ...]` to `[N*T, ...]`), run the inner layer,
 * unfold. Shapes are computed in the graph, so N and T may both be dynamic.
 */
export const timeDistributedLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const inner = (context.layer as TfLayer & { layer?: TfLayer }).layer;
  if (inner === undefined) return context.fail('ONNX_EXPORT_INVALID_MODEL', 'no wrapped layer');
  const input = singleInput(context);
  const shape = graph.node('Shape', [input.name], {}, path);
  const slice = (start: number, end: number) =>
    graph.node(
      'Slice',
      [shape, graph.int64s([start]), graph.int64s([end]), graph.int64s([0])],
      {},
      path,
    );
  const folded = graph.node(
    'Reshape',
    [
      input.name,
      graph.node(
        'Concat',
        [graph.int64s([-1]), slice(2, Number.MAX_SAFE_INTEGER)],
        { axis: attr.int(0) },
        path,
      ),
    ],
    {},
    path,
  );
  const outShape = context.outputShapes[0] ?? [];
  const innerOutShape = [null, ...outShape.slice(2)];
  if (innerOutShape.slice(1).some((d) => d === null)) {
    context.fail('ONNX_EXPORT_UNKNOWN_SHAPE', 'the wrapped layer output shape must be static');
  }
  const [y] = context.convertInner(
    inner,
    [{ name: folded, shape: [null, ...input.shape.slice(2)] }],
    [innerOutShape],
  );
  const unfoldShape = graph.node(
    'Concat',
    [slice(0, 2), graph.int64s(innerOutShape.slice(1) as number[])],
    { axis: attr.int(0) },
    path,
  );
  return [graph.node('Reshape', [y!, unfoldShape], {}, path)];
};
