import { type Dtype, MappingError, type TensorSpec } from '@reprokit/core';
import { checkpointWeights } from '@reprokit/tfjs/internal';
import type { LayersModel } from '@tensorflow/tfjs';

type LiveLayer = LayersModel['layers'][number];

/** A weight of a Keras layer: its structural checkpoint name and spec. */
export interface KerasWeight extends TensorSpec {
  readonly name: string;
}

/**
 * One tfjs layer that holds weights, as the ONNX preset needs it. Wrappers are unwrapped:
 * a `TimeDistributed(Dense)` is a Dense here; a `Bidirectional` keeps both directions.
 */
export interface KerasWeightedLayer {
  /** Structural path, e.g. `encoder/dense_1` (its weights are `<path>/<role>`). */
  readonly path: string;
  /** Class of the layer doing the work (`Dense` for `TimeDistributed(Dense)`). */
  readonly className: string;
  /** `getConfig()` of that layer; for Bidirectional, of the forward layer. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Weights keyed by role: `kernel`, `bias`, `forward/kernel`, `backward/bias`, ... */
  readonly weights: ReadonlyMap<string, KerasWeight>;
  /** True for a `Bidirectional` wrapper. */
  readonly bidirectional: boolean;
  /** The layer's input shape, batch dimension included (`null` where unknown). */
  readonly inputShape?: ReadonlyArray<number | null>;
  /**
   * Padding a ZeroPadding2D right before this layer adds, `[begins..., ends...]` over the
   * spatial axes (so PyTorch's `pads` can be compared against it plus the layer's own).
   */
  readonly zeroPadding?: readonly number[];
  /**
   * Cropping a Cropping2D right after this layer removes, `[begins..., ends...]` over the
   * spatial axes (so a ConvTranspose's `pads` can be compared against it plus the layer's own).
   */
  readonly cropping?: readonly number[];
  /**
   * For a Dense fed by a Flatten of a rank >= 3 tensor: the flattened shape without the
   * batch dimension, e.g. `[H, W, C]`. Undefined otherwise.
   */
  readonly flattenedFrom?: readonly number[];
  /**
   * What feeds that Flatten: `spatial` when a convolution or pooling layer made the tensor
   * (so its last axis is channels), `permuted` when a Permute comes right before the Flatten
   * (the model already flattens channels first), `other` otherwise (model input, Reshape...).
   */
  readonly flattenSource?: 'spatial' | 'permuted' | 'other';
}

/** Layers that pass values through in order, so a Flatten behind them still decides the order. */
const ORDER_KEEPING = new Set([
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
]);

/** Layers whose output is channels last with spatial axes before it. */
const SPATIAL = new Set([
  'Conv1D',
  'Conv2D',
  'Conv3D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'Conv2DTranspose',
  'Conv3DTranspose',
  'ConvLSTM2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'UpSampling2D',
  'ZeroPadding2D',
  'Cropping2D',
]);

/** Layers between a convolution and a Flatten that keep the channels-last layout. */
const LAYOUT_KEEPING = new Set([
  ...ORDER_KEEPING,
  'BatchNormalization',
  'PReLU',
  'SpatialDropout2D',
]);

/**
 * The weighted layers of a tfjs model in layer order (nested models flattened), each with
 * its weights under their structural checkpoint names (see `checkpointWeights` in
 * `@reprokit/tfjs`). This is the order the ONNX preset pairs with ONNX nodes.
 *
 * @example
 * kerasWeightedLayers(model).map((layer) => `${layer.path} (${layer.className})`);
 * // ['conv2d (Conv2D)', 'batch_normalization (BatchNormalization)', 'dense (Dense)']
 */
export function kerasWeightedLayers(model: LayersModel): KerasWeightedLayer[] {
  const names = new Map<unknown, string>();
  for (const weight of checkpointWeights(model)) names.set(weight.variable, weight.name);
  const result: KerasWeightedLayer[] = [];
  const seen = new Set<unknown>();
  collect(model.layers, names, seen, result);
  return result;
}

function collect(
  layers: readonly LiveLayer[],
  names: ReadonlyMap<unknown, string>,
  seen: Set<unknown>,
  out: KerasWeightedLayer[],
): void {
  for (const layer of layers) {
    const inner = (layer as unknown as { layers?: unknown }).layers;
    if (Array.isArray(inner)) {
      collect(inner as LiveLayer[], names, seen, out);
      continue;
    }
    const variables = layer.weights.filter((variable) => !seen.has(variable));
    if (variables.length === 0) continue;
    for (const variable of variables) seen.add(variable);
    out.push(describeLayer(layer, variables, names));
  }
}

function describeLayer(
  layer: LiveLayer,
  variables: LiveLayer['weights'],
  names: ReadonlyMap<unknown, string>,
): KerasWeightedLayer {
  const className = layer.getClassName();
  const bidirectional = className === 'Bidirectional';
  const wrapped =
    className === 'TimeDistributed'
      ? (layer as unknown as { layer: LiveLayer }).layer
      : bidirectional
        ? (layer as unknown as { forwardLayer: LiveLayer }).forwardLayer
        : layer;
  const weights = new Map<string, KerasWeight>();
  let path = '';
  for (const variable of variables) {
    const name = names.get(variable);
    if (name === undefined) {
      throw new MappingError({
        code: 'MAPPING_UNKNOWN_WEIGHT',
        origin: 'tfjs-onnx',
        message: `tfjs variable "${variable.name}" of layer "${layer.name}" has no checkpoint name`,
      });
    }
    const segments = name.split('/');
    const roleLength = bidirectional ? 2 : 1;
    path = segments.slice(0, -roleLength).join('/');
    let role = segments.slice(-roleLength).join('/');
    if (bidirectional)
      role = role.replace(/^forward_[^/]*/, 'forward').replace(/^backward_[^/]*/, 'backward');
    weights.set(role, {
      name,
      dtype: dtypeOf(variable.dtype),
      shape: [...variable.shape] as number[],
    });
  }
  const flatten = className === 'Dense' ? flattenedShape(layer) : undefined;
  const inputShape = firstInputShape(layer);
  const zeroPadding = precedingZeroPadding(layer);
  const cropping = followingCropping(layer);
  return {
    ...(zeroPadding === undefined ? {} : { zeroPadding }),
    ...(cropping === undefined ? {} : { cropping }),
    ...(inputShape === undefined ? {} : { inputShape }),
    path,
    className: wrapped.getClassName(),
    config: wrapped.getConfig() as Record<string, unknown>,
    weights,
    bidirectional,
    ...(flatten === undefined
      ? {}
      : { flattenedFrom: flatten.shape, flattenSource: flatten.source }),
  };
}

function dtypeOf(dtype: string): Dtype {
  return dtype === 'int32' ? 'I32' : dtype === 'bool' ? 'BOOL' : 'F32';
}

/** Walks back from a Dense through order-keeping layers to a Flatten, if there is one. */
function flattenedShape(
  dense: LiveLayer,
): { shape: readonly number[]; source: 'spatial' | 'permuted' | 'other' } | undefined {
  let current = previousLayer(dense);
  while (current !== undefined && ORDER_KEEPING.has(current.getClassName())) {
    current = previousLayer(current);
  }
  if (current === undefined || current.getClassName() !== 'Flatten') return undefined;
  let before = previousLayer(current);
  const permuted = before?.getClassName() === 'Permute';
  while (before !== undefined && LAYOUT_KEEPING.has(before.getClassName())) {
    before = previousLayer(before);
  }
  const source = permuted
    ? 'permuted'
    : before !== undefined && SPATIAL.has(before.getClassName())
      ? 'spatial'
      : 'other';
  const shape = firstInputShape(current);
  if (!Array.isArray(shape) || Array.isArray(shape[0])) return undefined;
  const dims = (shape as Array<number | null>).slice(1);
  if (dims.length < 2 || dims.some((dim) => typeof dim !== 'number')) return undefined;
  return { shape: dims as number[], source };
}

function previousLayer(layer: LiveLayer): LiveLayer | undefined {
  const nodes = (layer as unknown as { inboundNodes?: Array<{ inboundLayers?: LiveLayer[] }> })
    .inboundNodes;
  const inbound = nodes?.[0]?.inboundLayers;
  return inbound?.length === 1 ? inbound[0] : undefined;
}

function firstInputShape(layer: LiveLayer): Array<number | null> | undefined {
  const nodes = (
    layer as unknown as { inboundNodes?: Array<{ inputTensors?: Array<{ shape?: unknown }> }> }
  ).inboundNodes;
  const shape = nodes?.[0]?.inputTensors?.[0]?.shape;
  return Array.isArray(shape) && !Array.isArray(shape[0])
    ? (shape as Array<number | null>)
    : undefined;
}

function precedingZeroPadding(layer: LiveLayer): number[] | undefined {
  const previous = previousLayer(layer);
  if (previous?.getClassName() !== 'ZeroPadding2D') return undefined;
  const padding = (previous.getConfig() as { padding?: unknown }).padding;
  if (!Array.isArray(padding) || padding.length !== 2) return undefined;
  const [rows, columns] = padding as Array<[number, number]>;
  return [rows![0], columns![0], rows![1], columns![1]];
}

function followingCropping(layer: LiveLayer): number[] | undefined {
  const nodes = (layer as unknown as { outboundNodes?: Array<{ outboundLayer?: LiveLayer }> })
    .outboundNodes;
  // Only a Cropping2D that is the sole consumer decides what the layer's output becomes.
  const next = nodes?.length === 1 ? nodes[0]?.outboundLayer : undefined;
  if (next?.getClassName() !== 'Cropping2D') return undefined;
  const cropping = (next.getConfig() as { cropping?: unknown }).cropping;
  if (!Array.isArray(cropping) || cropping.length !== 2) return undefined;
  const [rows, columns] = cropping as Array<[number, number]>;
  return [rows![0], columns![0], rows![1], columns![1]];
}
