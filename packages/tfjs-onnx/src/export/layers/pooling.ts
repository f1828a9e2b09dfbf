import {
  channelsLast,
  configString,
  configTuple,
  type LayerContext,
  type LayerConverter,
  singleInput,
} from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';
import { paddingAttributes, toChannelsFirst, toChannelsLast } from './channels.js';

/**
 * MaxPooling1D/2D/3D and AveragePooling1D/2D/3D. tfjs "same" average pooling divides by the number
 * of real (unpadded) elements, which is ONNX's default `count_include_pad=0`.
 */
export function poolLayer(op: 'MaxPool' | 'AveragePool', spatial: number): LayerConverter {
  return (context) => {
    const input = singleInput(context);
    const rank = input.shape.length;
    const last = spatial === 1 ? true : channelsLast(context);
    const kernel = configTuple(context, 'poolSize', spatial, 2);
    const strides =
      context.config.strides === null || context.config.strides === undefined
        ? kernel
        : configTuple(context, 'strides', spatial);
    const padding = configString(context, 'padding', 'valid');
    if (padding !== 'valid' && padding !== 'same') {
      context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', `padding "${padding}" is not supported`);
    }
    const sizes = last ? input.shape.slice(1, rank - 1) : input.shape.slice(2);
    const ones = new Array<number>(spatial).fill(1);
    const x = last ? toChannelsFirst(context.graph, input.name, rank, context.path) : input.name;
    const y = context.graph.node(
      op,
      [x],
      {
        kernel_shape: attr.ints(kernel),
        strides: attr.ints(strides),
        ...paddingAttributes(padding, sizes, kernel, strides, ones),
      },
      context.path,
    );
    return [last ? toChannelsLast(context.graph, y, rank, context.path) : y];
  };
}

/** GlobalAverage/GlobalMax pooling: a reduction over the spatial axes, in place (no transpose). */
export function globalPoolLayer(op: 'ReduceMean' | 'ReduceMax'): LayerConverter {
  return (context: LayerContext) => {
    const input = singleInput(context);
    const rank = input.shape.length;
    const last = context.config.dataFormat === undefined || channelsLast(context);
    const axes = last
      ? Array.from({ length: rank - 2 }, (_, i) => i + 1)
      : Array.from({ length: rank - 2 }, (_, i) => i + 2);
    return [context.graph.reduce(op, input.name, axes, false, context.path)];
  };
}
