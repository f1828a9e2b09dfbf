import type { OnnxGraphBuilder } from '../onnx-graph-builder.js';
import { attr, type OnnxAttributes } from '../onnx-graph-builder.js';

/** NHWC (tfjs default) to NCHW (ONNX Conv, pooling, Resize), for a tensor of `rank` axes. */
export function toChannelsFirst(graph: OnnxGraphBuilder, x: string, rank: number, scope: string) {
  const perm = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
  return graph.node('Transpose', [x], { perm: attr.ints(perm) }, scope);
}

/** NCHW back to NHWC. */
export function toChannelsLast(graph: OnnxGraphBuilder, x: string, rank: number, scope: string) {
  const perm = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
  return graph.node('Transpose', [x], { perm: attr.ints(perm) }, scope);
}

/**
 * TensorFlow "same" padding for one spatial axis: the total is split with the extra element
 * at the end (ONNX SAME_UPPER). Undefined when the input size is not static.
 */
export function samePadding(
  size: number | null | undefined,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] | undefined {
  if (size === null || size === undefined) return undefined;
  const effective = (kernel - 1) * dilation + 1;
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Padding attributes for a conv or pool over spatial sizes `sizes`: explicit `pads` when
 * every size is static (what tfjs computes), `auto_pad=SAME_UPPER` otherwise.
 */
export function paddingAttributes(
  padding: string,
  sizes: readonly (number | null | undefined)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): OnnxAttributes {
  if (padding === 'valid') return { pads: attr.ints(new Array<number>(kernel.length * 2).fill(0)) };
  const pairs = sizes.map((size, i) => samePadding(size, kernel[i]!, strides[i]!, dilations[i]!));
  if (pairs.some((pair) => pair === undefined)) return { auto_pad: attr.string('SAME_UPPER') };
  const defined = pairs as [number, number][];
  return { pads: attr.ints([...defined.map((p) => p[0]), ...defined.map((p) => p[1])]) };
}
