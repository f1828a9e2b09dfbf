import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import type { Dtype } from './dtype.js';
import { f8e4m3ToF32, f8e5m2ToF32 } from './float-conversion.js';
import { checkTensor, toTypedArray } from './typed-array.js';
import { sameShape } from './write-report.js';

/** How one tensor of `a` relates to the same-named tensor of `b`. */
export type TensorComparisonStatus =
  | 'equal'
  | 'close'
  | 'different'
  | 'missing'
  | 'extra'
  | 'shape-mismatch'
  | 'dtype-mismatch';

export interface TensorComparison {
  readonly name: string;
  /**
   * `equal`: same dtype, shape and bytes. `close`: bytes differ but every element is within
   * tolerance. `different`: some element is not. `missing`: only in `a`. `extra`: only in `b`.
   * `dtype-mismatch` / `shape-mismatch`: both have it, with another dtype / shape.
   */
  readonly status: TensorComparisonStatus;
  /** Same dtype, shape and bytes. */
  readonly bitwiseEqual: boolean;
  /** Largest `|a - b|` (0 for equal tensors; NaN when values were not compared). */
  readonly maxAbsDiff: number;
  /** Largest `|a - b| / |a|` (`a` is the reference; 0/0 counts as 0, x/0 as Infinity). */
  readonly maxRelDiff: number;
  /** Elements outside `atol + rtol * |a|` (0 when not compared). */
  readonly mismatchedElements: number;
  readonly a?: { readonly dtype: Dtype; readonly shape: readonly number[] };
  readonly b?: { readonly dtype: Dtype; readonly shape: readonly number[] };
}

export interface CompareReport {
  /** Every tensor is `equal` and no name is missing or extra. */
  readonly equal: boolean;
  /** Every tensor is `equal` or `close` and no name is missing or extra. */
  readonly close: boolean;
  /** One entry per name: `a`'s names in order, then names only in `b`. */
  readonly tensors: readonly TensorComparison[];
  /** Largest `maxAbsDiff` over compared tensors (0 when there are none). */
  readonly maxAbsDiff: number;
}

export interface CompareOptions {
  /** Absolute tolerance. Default 0. */
  atol?: number;
  /** Relative tolerance, times `|a|`. Default 0. */
  rtol?: number;
}

/**
 * Compare two checkpoints tensor by tensor; `a` is the reference. An element pair is within
 * tolerance when `|a - b| <= atol + rtol * |a|` (numpy's `isclose` with `a` as reference);
 * by default both tolerances are 0, so `close` means equal as numbers (e.g. `0` vs `-0`).
 * NaN handling: NaN against NaN counts as equal (any payload) and adds 0 to the differences;
 * NaN against a number, or infinities of different sign or against a finite value, is a
 * mismatch with difference Infinity. F16/BF16/F8 are decoded to numbers, 64-bit integers are
 * subtracted exactly as bigints and then converted.
 *
 * @example
 * const report = compare(expected, actual, { atol: 1e-6 });
 * if (!report.close) console.table(report.tensors.filter((t) => t.status !== 'equal'));
 */
export function compare(a: Checkpoint, b: Checkpoint, options: CompareOptions = {}): CompareReport {
  const atol = options.atol ?? 0;
  const rtol = options.rtol ?? 0;
  const tensors: TensorComparison[] = [];
  for (const [name, left] of a.tensors) {
    const right = b.tensors.get(name);
    tensors.push(
      right === undefined
        ? absent(name, 'missing', left, 'a')
        : compareTensor(name, left, right, atol, rtol),
    );
  }
  for (const [name, right] of b.tensors) {
    if (!a.tensors.has(name)) tensors.push(absent(name, 'extra', right, 'b'));
  }
  let maxAbsDiff = 0;
  for (const entry of tensors) {
    if (!Number.isNaN(entry.maxAbsDiff)) maxAbsDiff = Math.max(maxAbsDiff, entry.maxAbsDiff);
  }
  return {
    equal: tensors.every((entry) => entry.status === 'equal'),
    close: tensors.every((entry) => entry.status === 'equal' || entry.status === 'close'),
    tensors,
    maxAbsDiff,
  };
}

function absent(
  name: string,
  status: 'missing' | 'extra',
  tensor: CheckpointTensor,
  side: 'a' | 'b',
): TensorComparison {
  return {
    name,
    status,
    bitwiseEqual: false,
    maxAbsDiff: Number.NaN,
    maxRelDiff: Number.NaN,
    mismatchedElements: 0,
    [side]: { dtype: tensor.dtype, shape: tensor.shape },
  };
}

function compareTensor(
  name: string,
  left: CheckpointTensor,
  right: CheckpointTensor,
  atol: number,
  rtol: number,
): TensorComparison {
  checkTensor(left, name);
  checkTensor(right, name);
  const specs = {
    a: { dtype: left.dtype, shape: left.shape },
    b: { dtype: right.dtype, shape: right.shape },
  };
  const notCompared = {
    bitwiseEqual: false,
    maxAbsDiff: Number.NaN,
    maxRelDiff: Number.NaN,
    mismatchedElements: 0,
  };
  if (left.dtype !== right.dtype)
    return { name, status: 'dtype-mismatch', ...notCompared, ...specs };
  if (!sameShape(left.shape, right.shape))
    return { name, status: 'shape-mismatch', ...notCompared, ...specs };
  if (bytesEqual(left.data, right.data)) {
    return {
      name,
      status: 'equal',
      bitwiseEqual: true,
      maxAbsDiff: 0,
      maxRelDiff: 0,
      mismatchedElements: 0,
      ...specs,
    };
  }
  const x = elementsOf(left);
  const y = elementsOf(right);
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  let mismatchedElements = 0;
  for (let index = 0; index < x.length; index++) {
    const p = x[index]!;
    const q = y[index]!;
    let diff: number;
    let reference: number;
    if (typeof p === 'bigint' || typeof q === 'bigint') {
      const delta = BigInt(p) - BigInt(q);
      diff = Math.abs(Number(delta));
      reference = Math.abs(Number(p));
    } else {
      reference = Math.abs(p);
      if (Number.isNaN(p) || Number.isNaN(q))
        diff = Number.isNaN(p) && Number.isNaN(q) ? 0 : Number.POSITIVE_INFINITY;
      else if (p === q) diff = 0;
      else diff = Math.abs(p - q);
    }
    if (diff === 0) continue;
    const relative =
      reference === 0 || diff === Number.POSITIVE_INFINITY
        ? Number.POSITIVE_INFINITY
        : diff / reference;
    if (diff > maxAbsDiff) maxAbsDiff = diff;
    if (relative > maxRelDiff) maxRelDiff = relative;
    if (!(diff <= atol + rtol * reference)) mismatchedElements++;
  }
  return {
    name,
    status: mismatchedElements === 0 ? 'close' : 'different',
    bitwiseEqual: false,
    maxAbsDiff,
    maxRelDiff,
    mismatchedElements,
    ...specs,
  };
}

function elementsOf(tensor: CheckpointTensor): ArrayLike<number | bigint> {
  if (tensor.dtype === 'F8_E4M3') return Array.from(tensor.data, f8e4m3ToF32);
  if (tensor.dtype === 'F8_E5M2') return Array.from(tensor.data, f8e5m2ToF32);
  return toTypedArray(tensor);
}

function bytesEqual(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  let index = 0;
  // Four bytes at a time where both views allow it: weights are large.
  if (x.byteOffset % 4 === 0 && y.byteOffset % 4 === 0) {
    const words = x.length >>> 2;
    const xWords = new Int32Array(x.buffer, x.byteOffset, words);
    const yWords = new Int32Array(y.buffer, y.byteOffset, words);
    for (let word = 0; word < words; word++) if (xWords[word] !== yWords[word]) return false;
    index = words * 4;
  }
  for (; index < x.length; index++) if (x[index] !== y[index]) return false;
  return true;
}
