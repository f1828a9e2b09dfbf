import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { attr } from './onnx-graph-builder.js';

/**
 * One layout change between a tfjs weight and the ONNX operator input it feeds. The same
 * description is applied either as graph nodes (shared-file mode: ORT folds them at load)
 * or directly on the bytes (embedded mode), so both modes compute the same numbers.
 */
export type LayoutStep =
  /** Axis permutation, e.g. HWIO to OIHW is `[3, 2, 0, 1]`. */
  | { readonly kind: 'transpose'; readonly perm: readonly number[] }
  /** Same elements, new shape (row-major). */
  | { readonly kind: 'reshape'; readonly shape: readonly number[] }
  /** Split `axis` into `order.length` equal blocks and put them in `order` (gate reorder). */
  | { readonly kind: 'reorder'; readonly axis: number; readonly order: readonly number[] }
  /** Append zeros along `axis` so that its size becomes `size`. */
  | { readonly kind: 'padZeros'; readonly axis: number; readonly size: number };

/** Short label of a layout change, used in initializer names and node scopes. */
export function describeLayout(steps: readonly LayoutStep[]): string {
  return steps
    .map((step) => {
      switch (step.kind) {
        case 'transpose':
          return `transpose[${step.perm.join(',')}]`;
        case 'reshape':
          return `reshape[${step.shape.join(',')}]`;
        case 'reorder':
          return `reorder@${step.axis}[${step.order.join(',')}]`;
        case 'padZeros':
          return `pad0@${step.axis}:${step.size}`;
      }
      return '';
    })
    .join('+');
}

function strides(shape: readonly number[]): number[] {
  const result = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) result[i] = result[i + 1]! * shape[i + 1]!;
  return result;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Output shape of one layout step. */
export function layoutShape(shape: readonly number[], step: LayoutStep): number[] {
  switch (step.kind) {
    case 'transpose':
      return step.perm.map((axis) => shape[axis]!);
    case 'reshape':
      return [...step.shape];
    case 'reorder':
      return [...shape];
    case 'padZeros':
      return shape.map((dim, i) => (i === step.axis ? step.size : dim));
  }
}

/** Apply layout steps to row-major elements (any typed array); returns new data and shape. */
export function applyLayout(
  data: Float32Array | Int32Array,
  shape: readonly number[],
  steps: readonly LayoutStep[],
): { data: Float32Array | Int32Array; shape: number[] } {
  let current = data;
  let currentShape = [...shape];
  for (const step of steps) {
    const outShape = layoutShape(currentShape, step);
    const out = new (current.constructor as Float32ArrayConstructor)(size(outShape));
    const inStrides = strides(currentShape);
    const outStrides = strides(outShape);
    if (step.kind === 'reshape') {
      out.set(current);
    } else {
      const index = new Array<number>(outShape.length).fill(0);
      const block =
        step.kind === 'reorder' ? currentShape[step.axis]! / step.order.length : Number.NaN;
      for (let flat = 0; flat < out.length; flat++) {
        let rest = flat;
        for (let axis = 0; axis < outShape.length; axis++) {
          index[axis] = Math.floor(rest / outStrides[axis]!);
          rest -= index[axis]! * outStrides[axis]!;
        }
        let source = 0;
        if (step.kind === 'transpose') {
          for (let axis = 0; axis < outShape.length; axis++) {
            source += index[axis]! * inStrides[step.perm[axis]!]!;
          }
        } else if (step.kind === 'reorder') {
          for (let axis = 0; axis < outShape.length; axis++) {
            let i = index[axis]!;
            if (axis === step.axis) {
              const blockIndex = Math.floor(i / block);
              i = step.order[blockIndex]! * block + (i % block);
            }
            source += i * inStrides[axis]!;
          }
        } else {
          if (index[step.axis]! >= currentShape[step.axis]!) continue;
          for (let axis = 0; axis < outShape.length; axis++)
            source += index[axis]! * inStrides[axis]!;
        }
        out[flat] = current[source]!;
      }
    }
    current = out;
    currentShape = outShape;
  }
  return { data: current, shape: currentShape };
}

/** Emit layout steps as ONNX nodes on `input`; returns the name of the result. */
export function emitLayout(
  graph: OnnxGraphBuilder,
  input: string,
  shape: readonly number[],
  steps: readonly LayoutStep[],
  scope: string,
): string {
  let current = input;
  let currentShape = [...shape];
  for (const step of steps) {
    switch (step.kind) {
      case 'transpose':
        current = graph.node('Transpose', [current], { perm: attr.ints(step.perm) }, scope);
        break;
      case 'reshape':
        current = graph.node('Reshape', [current, graph.int64s(step.shape)], {}, scope);
        break;
      case 'reorder': {
        const parts = step.order.length;
        const block = currentShape[step.axis]! / parts;
        const pieces = graph.nodeN(
          'Split',
          [current, graph.int64s(new Array<number>(parts).fill(block))],
          { axis: attr.int(step.axis) },
          scope,
          parts,
        );
        current = graph.node(
          'Concat',
          step.order.map((i) => pieces[i]!),
          { axis: attr.int(step.axis) },
          scope,
        );
        break;
      }
      case 'padZeros': {
        const zerosShape = currentShape.map((dim, i) =>
          i === step.axis ? step.size - currentShape[step.axis]! : dim,
        );
        const zeros = graph.floats(new Float32Array(size(zerosShape)), zerosShape);
        current = graph.node('Concat', [current, zeros], { axis: attr.int(step.axis) }, scope);
        break;
      }
    }
    currentShape = layoutShape(currentShape, step);
  }
  return current;
}
