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

/**
 * Where each output index along each axis reads from, as an element offset into the input
 * (-1: a padded zero). Output element (i0, i1, ...) reads `sum(tables[a][ia])`.
 */
function offsetTables(inShape: readonly number[], outShape: readonly number[], step: LayoutStep) {
  const inStrides = strides(inShape);
  return outShape.map((dim, axis) => {
    const table = new Array<number>(dim);
    for (let i = 0; i < dim; i++) {
      switch (step.kind) {
        case 'transpose':
          table[i] = i * inStrides[step.perm[axis]!]!;
          break;
        case 'reorder': {
          let source = i;
          if (axis === step.axis) {
            const block = inShape[axis]! / step.order.length;
            source = step.order[Math.floor(i / block)]! * block + (i % block);
          }
          table[i] = source * inStrides[axis]!;
          break;
        }
        case 'padZeros':
          table[i] = axis === step.axis && i >= inShape[axis]! ? -1 : i * inStrides[axis]!;
          break;
        case 'reshape':
          table[i] = 0;
          break;
      }
    }
    return table;
  });
}

/** Copy `input` into a new array of `outShape` through per-axis offset tables. */
function gather(
  input: Float32Array | Int32Array,
  outShape: readonly number[],
  tables: readonly number[][],
): Float32Array | Int32Array {
  const out = new (input.constructor as Float32ArrayConstructor)(size(outShape));
  if (outShape.length === 0) {
    out[0] = input[0]!;
    return out;
  }
  const last = outShape.length - 1;
  const inner = tables[last]!;
  const index = new Array<number>(last).fill(0);
  let flat = 0;
  while (flat < out.length) {
    let base = 0;
    let padded = false;
    for (let axis = 0; axis < last; axis++) {
      const offset = tables[axis]![index[axis]!]!;
      if (offset < 0) padded = true;
      base += offset;
    }
    for (let j = 0; j < inner.length; j++) {
      const offset = inner[j]!;
      out[flat++] = padded || offset < 0 ? 0 : input[base + offset]!;
    }
    for (let axis = last - 1; axis >= 0; axis--) {
      index[axis]! += 1;
      if (index[axis]! < outShape[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
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
    if (step.kind === 'reshape') {
      current = current.slice();
    } else {
      current = gather(current, outShape, offsetTables(currentShape, outShape, step));
    }
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
