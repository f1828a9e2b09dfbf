import {
  channelsLast,
  configString,
  configTuple,
  type LayerContext,
  type LayerConverter,
  singleInput,
} from '../layer-context.js';
import { attr, type OnnxAttributes } from '../onnx-graph-builder.js';
import type { LayoutStep } from '../weight-layout.js';
import { applyConfiguredActivation } from './activation-layers.js';
import { paddingAttributes, toChannelsFirst, toChannelsLast } from './channels.js';

/** tfjs kernels are `[...spatial, in, out]`; ONNX Conv wants `[out, in, ...spatial]`. */
function kernelToOihw(spatial: number): LayoutStep {
  return {
    kind: 'transpose',
    perm: [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)],
  };
}

interface ConvGeometry {
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: string;
}

function geometry(context: LayerContext, spatial: number): ConvGeometry {
  const padding = configString(context, 'padding', 'valid');
  // tfjs 4.22 cannot run causal padding either (conv1dWithBias throws NotImplementedError).
  if (padding !== 'valid' && padding !== 'same') {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', `padding "${padding}" is not supported`);
  }
  const strides = configTuple(context, 'strides', spatial, 1);
  const dilations = configTuple(context, 'dilationRate', spatial, 1);
  return { kernel: configTuple(context, 'kernelSize', spatial), strides, dilations, padding };
}

function convAttributes(g: ConvGeometry, sizes: readonly (number | null)[]): OnnxAttributes {
  return {
    kernel_shape: attr.ints(g.kernel),
    strides: attr.ints(g.strides),
    dilations: attr.ints(g.dilations),
    ...paddingAttributes(g.padding, sizes, g.kernel, g.strides, g.dilations),
  };
}

/** Run `body` on the input in NCHW, then return to the layer's data format. */
function inChannelsFirst(
  context: LayerContext,
  body: (x: string, sizes: (number | null)[]) => string,
) {
  const input = singleInput(context);
  const rank = input.shape.length;
  const last = channelsLast(context);
  const x = last ? toChannelsFirst(context.graph, input.name, rank, context.path) : input.name;
  const sizes = last ? input.shape.slice(1, rank - 1) : input.shape.slice(2);
  const y = body(x, [...sizes]);
  return last ? toChannelsLast(context.graph, y, rank, context.path) : y;
}

/** Conv1D, Conv2D and Conv3D: kernel [...spatial, in, out] to [out, in, ...spatial], activations wrapped NHWC <-> NCHW. */
export function convLayer(spatial: number): LayerConverter {
  return (context) => {
    const g = geometry(context, spatial);
    const y = inChannelsFirst(context, (x, sizes) => {
      const inputs = [x, context.weight('kernel', [kernelToOihw(spatial)])];
      if (context.hasWeight('bias')) inputs.push(context.weight('bias'));
      return context.graph.node('Conv', inputs, convAttributes(g, sizes), context.path);
    });
    return [applyConfiguredActivation(context, y)];
  };
}

/** Depthwise `[kh, kw, C, m]` to grouped-conv `[C*m, 1, kh, kw]` (output channel c*m + j). */
function depthwiseLayout(shape: readonly number[]): LayoutStep[] {
  const [kh, kw, channels, multiplier] = shape as [number, number, number, number];
  return [
    { kind: 'transpose', perm: [2, 3, 0, 1] },
    { kind: 'reshape', shape: [channels * multiplier, 1, kh, kw] },
  ];
}

function depthwiseConv(
  context: LayerContext,
  x: string,
  sizes: (number | null)[],
  withBias: boolean,
) {
  let g = geometry(context, 2);
  // tfjs 4.22's DepthwiseConv2D layer does not pass dilationRate to its kernel (its output
  // shape ignores it too); the export computes what tfjs computes.
  if (context.className === 'DepthwiseConv2D') g = { ...g, dilations: [1, 1] };
  const shape = context.weightShape('depthwise_kernel');
  const inputs = [x, context.weight('depthwise_kernel', depthwiseLayout(shape))];
  if (withBias && context.hasWeight('bias')) inputs.push(context.weight('bias'));
  return context.graph.node(
    'Conv',
    inputs,
    { ...convAttributes(g, sizes), group: attr.int(shape[2]!) },
    context.path,
  );
}

export const depthwiseConv2dLayer: LayerConverter = (context) => {
  const y = inChannelsFirst(context, (x, sizes) => depthwiseConv(context, x, sizes, true));
  return [applyConfiguredActivation(context, y)];
};

/** SeparableConv2D: the depthwise conv, then a 1x1 pointwise conv carrying the bias. */
export const separableConv2dLayer: LayerConverter = (context) => {
  const y = inChannelsFirst(context, (x, sizes) => {
    const depthwise = depthwiseConv(context, x, sizes, false);
    const inputs = [depthwise, context.weight('pointwise_kernel', [kernelToOihw(2)])];
    if (context.hasWeight('bias')) inputs.push(context.weight('bias'));
    return context.graph.node('Conv', inputs, { kernel_shape: attr.ints([1, 1]) }, context.path);
  });
  return [applyConfiguredActivation(context, y)];
};

/**
 * Conv2DTranspose and Conv3DTranspose: the tfjs kernel is `[...spatial, out, in]`, ONNX
 * ConvTranspose wants `[in, out, ...spatial]` (perm [3,2,0,1] in 2D, [4,3,0,1,2] in 3D). Output
 * size follows tfjs' deconvLength: `in*s` for same, `in*s + max(k-s, 0)` for valid; explicit
 * pads and output_padding give exactly that.
 */
export function convTransposeLayer(spatial: number): LayerConverter {
  return (context) => convTranspose(context, spatial);
}

function convTranspose(context: LayerContext, spatial: number): string[] {
  const g = geometry(context, spatial);
  if (g.dilations.some((d) => d !== 1)) {
    context.fail('ONNX_EXPORT_UNSUPPORTED_OPTION', 'dilationRate other than 1');
  }
  const begin: number[] = [];
  const end: number[] = [];
  const outputPadding: number[] = [];
  g.kernel.forEach((k, i) => {
    const s = g.strides[i]!;
    const total = g.padding === 'same' ? Math.max(k - s, 0) : 0;
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
    outputPadding.push(k < s ? s - k : 0);
  });
  const y = inChannelsFirst(context, (x) => {
    const inputs = [x, context.weight('kernel', [kernelToOihw(spatial)])];
    if (context.hasWeight('bias')) inputs.push(context.weight('bias'));
    return context.graph.node(
      'ConvTranspose',
      inputs,
      {
        kernel_shape: attr.ints(g.kernel),
        strides: attr.ints(g.strides),
        pads: attr.ints([...begin, ...end]),
        output_padding: attr.ints(outputPadding),
      },
      context.path,
    );
  });
  return [applyConfiguredActivation(context, y)];
}
