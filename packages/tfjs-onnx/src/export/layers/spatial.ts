import {
  channelsLast,
  configString,
  type LayerContext,
  type LayerConverter,
  singleInput,
} from '../layer-context.js';
import { attr, type OnnxAttributes } from '../onnx-graph-builder.js';
import { toChannelsFirst, toChannelsLast } from './channels.js';

/** `[[top, bottom], [left, right]]` from a tfjs padding/cropping config in any accepted form. */
function pairs(context: LayerContext, key: string): [[number, number], [number, number]] {
  const raw = context.config[key];
  if (typeof raw === 'number')
    return [
      [raw, raw],
      [raw, raw],
    ];
  if (Array.isArray(raw) && raw.length === 2) {
    const [a, b] = raw as unknown[];
    const pair = (v: unknown): [number, number] | undefined =>
      typeof v === 'number'
        ? [v, v]
        : Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')
          ? [v[0] as number, v[1] as number]
          : undefined;
    const first = pair(a);
    const second = pair(b);
    if (first !== undefined && second !== undefined) return [first, second];
  }
  return context.fail('ONNX_EXPORT_INVALID_MODEL', `config "${key}" is not a 2D padding`);
}

/** Spatial axes of a 4D tensor in the layer's data format. */
function spatialAxes(context: LayerContext): [number, number] {
  return channelsLast(context) ? [1, 2] : [2, 3];
}

export const zeroPadding2dLayer: LayerConverter = (context) => {
  const [[top, bottom], [left, right]] = pairs(context, 'padding');
  const [h, w] = spatialAxes(context);
  const begin = [0, 0, 0, 0];
  const end = [0, 0, 0, 0];
  begin[h] = top;
  begin[w] = left;
  end[h] = bottom;
  end[w] = right;
  const { graph, path } = context;
  return [
    graph.node('Pad', [singleInput(context).name, graph.int64s([...begin, ...end])], {}, path),
  ];
};

export const cropping2dLayer: LayerConverter = (context) => {
  const [[top, bottom], [left, right]] = pairs(context, 'cropping');
  const [h, w] = spatialAxes(context);
  const { graph, path } = context;
  // A zero crop at the end must slice to the end, not to index 0.
  const end = (crop: number) => (crop === 0 ? Number.MAX_SAFE_INTEGER : -crop);
  return [
    graph.node(
      'Slice',
      [
        singleInput(context).name,
        graph.int64s([top, left]),
        graph.int64s([end(bottom), end(right)]),
        graph.int64s([h, w]),
      ],
      {},
      path,
    ),
  ];
};

/**
 * UpSampling2D: tfjs resizes with alignCorners=false and halfPixelCenters=false, which is
 * ONNX Resize's `asymmetric` transform (and `floor` rounding for nearest).
 */
export const upSampling2dLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  const raw = context.config.size ?? [2, 2];
  const size = typeof raw === 'number' ? [raw, raw] : (raw as number[]);
  const interpolation = configString(context, 'interpolation', 'nearest');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', `interpolation "${interpolation}"`);
  }
  const last = channelsLast(context);
  const input = singleInput(context);
  const x = last ? toChannelsFirst(graph, input.name, 4, path) : input.name;
  const attributes: OnnxAttributes =
    interpolation === 'nearest'
      ? {
          mode: attr.string('nearest'),
          coordinate_transformation_mode: attr.string('asymmetric'),
          nearest_mode: attr.string('floor'),
        }
      : { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('asymmetric') };
  const y = graph.node(
    'Resize',
    [x, '', graph.floats([1, 1, size[0]!, size[1]!], [4])],
    attributes,
    path,
  );
  return [last ? toChannelsLast(graph, y, 4, path) : y];
};
