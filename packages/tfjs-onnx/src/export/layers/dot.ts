import type { LayerContext, LayerConverter } from '../layer-context.js';
import { attr } from '../onnx-graph-builder.js';
import type { TensorRef } from '../tfjs-structure.js';

/**
 * tfjs-layers' `epsilon()` is the backend's: 1e-7 for float32 backends (cpu, wasm). `l2Normalize`
 * divides by `sqrt(max(sum(x^2), epsilon))`.
 */
const L2_EPSILON = 1e-7;

/** tfjs' `interpretAxis`: add the rank until the axis is not negative. */
function interpretAxis(axis: number, rank: number): number {
  let result = axis;
  while (result < 0) result += rank;
  return result;
}

/** The `[x axis, y axis]` pair from a Dot config (`axes: n` or `axes: [a, b]`). */
function dotAxes(context: LayerContext, xRank: number, yRank: number): [number, number] {
  const raw = context.config.axes;
  const pair = Array.isArray(raw) ? raw : [raw, raw];
  if (pair.length !== 2 || !pair.every((axis) => Number.isInteger(axis))) {
    context.fail('ONNX_EXPORT_INVALID_MODEL', `config "axes" is not an axis or a pair of axes`);
  }
  const axes: [number, number] = [
    interpretAxis(pair[0] as number, xRank),
    interpretAxis(pair[1] as number, yRank),
  ];
  axes.forEach((axis, i) => {
    const rank = i === 0 ? xRank : yRank;
    // tfjs checks the two axes only against each other's sizes, so an axis past the rank, or the
    // batch axis, can build; batchDot then contracts other axes than the output shape says.
    if (axis === 0 || axis >= rank) {
      context.fail(
        'ONNX_EXPORT_UNSUPPORTED_OPTION',
        `Dot over axis ${String(pair[i])} of a rank-${rank} input (only non-batch axes are exported)`,
      );
    }
  });
  return axes;
}

/** tfjs' `l2Normalize(x, axis)`: `x / sqrt(max(sum(x * x, axis, keepDims), epsilon))`. */
function l2Normalize(context: LayerContext, x: string, axis: number): string {
  const { graph, path } = context;
  const squareSum = graph.reduce(
    'ReduceSum',
    graph.node('Mul', [x, x], {}, path),
    [axis],
    true,
    path,
  );
  const norm = graph.node(
    'Sqrt',
    [graph.node('Max', [squareSum, graph.floats([L2_EPSILON])], {}, path)],
    {},
    path,
  );
  return graph.node('Div', [x, norm], {}, path);
}

function swapLastTwo(context: LayerContext, x: string): string {
  return context.graph.node('Transpose', [x], { perm: attr.ints([0, 2, 1]) }, context.path);
}

/**
 * Dot: tfjs-layers 4.22's `batchDot`, step for step. Two rank-2 inputs are multiplied and
 * summed over the axis; otherwise the lower-rank input gets a trailing 1, both go through a
 * batched MatMul (transposed where tfjs passes `transposeA`/`transposeB`), and the added axis is
 * squeezed out. `normalize: true` first L2-normalises each input along its axis.
 */
export const dotLayer: LayerConverter = (context) => {
  const { graph, path } = context;
  if (context.inputs.length !== 2) {
    context.fail('ONNX_EXPORT_INVALID_MODEL', `Dot needs 2 inputs, got ${context.inputs.length}`);
  }
  const [first, second] = context.inputs as [TensorRef, TensorRef];
  const xRank = first.shape.length;
  const yRank = second.shape.length;
  if (xRank < 2 || xRank > 3 || yRank < 2 || yRank > 3) {
    context.fail(
      'ONNX_EXPORT_UNSUPPORTED_OPTION',
      `Dot of rank-${xRank} and rank-${yRank} inputs (tfjs 4.22 computes ranks 2 and 3 only)`,
    );
  }
  const axes = dotAxes(context, xRank, yRank);
  let x = first.name;
  let y = second.name;
  if (context.config.normalize === true) {
    x = l2Normalize(context, x, axes[0]);
    y = l2Normalize(context, y, axes[1]);
  }
  if (xRank === 2 && yRank === 2) {
    // Both axes are 1 here (0 is refused): the row-wise dot product, kept as [N, 1].
    return [graph.reduce('ReduceSum', graph.node('Mul', [x, y], {}, path), [1], true, path)];
  }
  if (xRank > yRank) y = graph.node('Unsqueeze', [y, graph.int64s([2])], {}, path);
  if (yRank > xRank) x = graph.node('Unsqueeze', [x, graph.int64s([2])], {}, path);
  // tfjs: matMul(x, y, transposeA = axes[0] !== 2, transposeB = axes[1] === 2) on rank 3.
  if (axes[0] !== 2) x = swapLastTwo(context, x);
  if (axes[1] === 2) y = swapLastTwo(context, y);
  const product = graph.node('MatMul', [x, y], {}, path);
  if (xRank === yRank) return [product];
  // The trailing 1 added above comes out at axis 2 (x had rank 3) or axis 1 (y had rank 3).
  const added = xRank > yRank ? 2 : 1;
  return [graph.node('Squeeze', [product, graph.int64s([added])], {}, path)];
};
