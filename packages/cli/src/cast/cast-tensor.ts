import {
  type CheckpointTensor,
  type Dtype,
  fromTypedArray,
  type TypedArrayInputByDtype,
  toTypedArray,
} from '@reprokit/core';
import { CliError } from '../errors/cli-error.js';

/** How a dtype change treats values: kept exactly, rounded, or kept but checked for range. */
export type CastKind = 'exact' | 'rounded' | 'range-checked';

const FLOATS: ReadonlySet<Dtype> = new Set(['F64', 'F32', 'F16', 'BF16']);
const INTEGER_RANGE: Partial<Record<Dtype, readonly [bigint, bigint]>> = {
  I8: [-(2n ** 7n), 2n ** 7n - 1n],
  I16: [-(2n ** 15n), 2n ** 15n - 1n],
  I32: [-(2n ** 31n), 2n ** 31n - 1n],
  I64: [-(2n ** 63n), 2n ** 63n - 1n],
  U8: [0n, 2n ** 8n - 1n],
  U16: [0n, 2n ** 16n - 1n],
  U32: [0n, 2n ** 32n - 1n],
  U64: [0n, 2n ** 64n - 1n],
};
/** Significand bits, to know which integers and floats a float holds exactly. */
const FLOAT_PRECISION: Partial<Record<Dtype, number>> = { F64: 53, F32: 24, F16: 11, BF16: 8 };
const FLOAT_RANGE_ORDER: Partial<Record<Dtype, number>> = { F64: 3, F32: 2, BF16: 2, F16: 1 };

/**
 * Whether `from` can become `to`, and how. Floats convert among themselves (exact when both
 * precision and range grow), integers among themselves (exact when the range grows, else each
 * value is checked), integers into floats (exact when the float's significand holds them).
 * Floats never become integers and BOOL/F8 never change: those return `undefined`.
 *
 * @example
 * castKind('F16', 'F32'); // 'exact'
 * castKind('I64', 'I32'); // 'range-checked'
 */
export function castKind(from: Dtype, to: Dtype): CastKind | undefined {
  if (from === to) return 'exact';
  const fromRange = INTEGER_RANGE[from];
  const toRange = INTEGER_RANGE[to];
  if (fromRange !== undefined && toRange !== undefined) {
    return fromRange[0] >= toRange[0] && fromRange[1] <= toRange[1] ? 'exact' : 'range-checked';
  }
  if (FLOATS.has(from) && FLOATS.has(to)) {
    const widens =
      FLOAT_PRECISION[to]! >= FLOAT_PRECISION[from]! &&
      FLOAT_RANGE_ORDER[to]! >= FLOAT_RANGE_ORDER[from]!;
    return widens ? 'exact' : 'rounded';
  }
  if (fromRange !== undefined && FLOATS.has(to)) {
    // Every integer of magnitude up to 2^precision is a float of that precision.
    const limit = 2n ** BigInt(FLOAT_PRECISION[to]!);
    return fromRange[1] <= limit && -fromRange[0] <= limit ? 'exact' : 'rounded';
  }
  return undefined;
}

/**
 * Convert a tensor to another dtype (see `castKind`). An integer that does not fit the target
 * is an error naming the tensor and the element.
 *
 * @example
 * castTensor(halfTensor, 'F32', { name: 'w', file: 'out/model.json' });
 */
export function castTensor(
  tensor: CheckpointTensor,
  to: Dtype,
  where: { name: string; file: string },
): CheckpointTensor {
  const values = toTypedArray(tensor);
  const range = INTEGER_RANGE[to];
  if (range === undefined) {
    const floats = Float64Array.from(values as ArrayLike<number | bigint>, Number);
    return fromTypedArray(to, tensor.shape, floats as TypedArrayInputByDtype[typeof to]);
  }
  const wide = to === 'I64' || to === 'U64';
  const integers: (number | bigint)[] = new Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const value = BigInt(values[index]!);
    if (value < range[0] || value > range[1]) {
      throw new CliError({
        code: 'CLI_CAST_OUT_OF_RANGE',
        file: where.file,
        tensor: where.name,
        message: `element ${index} (${value}) of ${tensor.dtype} does not fit in ${to}`,
      });
    }
    integers[index] = wide ? value : Number(value);
  }
  return fromTypedArray(to, tensor.shape, integers as TypedArrayInputByDtype[typeof to]);
}
