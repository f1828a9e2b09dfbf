import type { CheckpointTensor } from './checkpoint.js';
import { elementCount } from './checkpoint.js';
import { CheckpointError } from './checkpoint-error.js';
import { type Dtype, dtypeSize, isDtype } from './dtype.js';
import {
  bfloat16ToFloat32Array,
  float16ToFloat32Array,
  float32ToBfloat16Array,
  float32ToFloat16Array,
} from './float-conversion.js';

/**
 * The typed array `toTypedArray` returns for each dtype. F16 and BF16 decode to float32
 * (exact); F8 variants and BOOL stay raw bytes (BOOL: 0 false, anything else true).
 */
export interface TypedArrayByDtype {
  F64: Float64Array;
  F32: Float32Array;
  F16: Float32Array;
  BF16: Float32Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
  F8_E4M3: Uint8Array;
  F8_E5M2: Uint8Array;
}

/** What `fromTypedArray` accepts for each dtype (F16/BF16 also take their raw `Uint16Array` bits). */
export interface TypedArrayInputByDtype {
  F64: Float64Array | ArrayLike<number>;
  F32: Float32Array | ArrayLike<number>;
  F16: Float32Array | Uint16Array | ArrayLike<number>;
  BF16: Float32Array | Uint16Array | ArrayLike<number>;
  I64: BigInt64Array | ArrayLike<bigint>;
  I32: Int32Array | ArrayLike<number>;
  I16: Int16Array | ArrayLike<number>;
  I8: Int8Array | ArrayLike<number>;
  U64: BigUint64Array | ArrayLike<bigint>;
  U32: Uint32Array | ArrayLike<number>;
  U16: Uint16Array | ArrayLike<number>;
  U8: Uint8Array | ArrayLike<number>;
  BOOL: Uint8Array | ArrayLike<number | boolean>;
  F8_E4M3: Uint8Array;
  F8_E5M2: Uint8Array;
}

/** A native typed array in one of the storage layouts. */
export type StorageArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

type NativeConstructor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Int32ArrayConstructor
  | Int16ArrayConstructor
  | Int8ArrayConstructor
  | Uint32ArrayConstructor
  | Uint16ArrayConstructor
  | Uint8ArrayConstructor;

// The element layout as stored; F16/BF16 are stored as 16-bit patterns.
const STORAGE: Readonly<Record<Dtype, NativeConstructor>> = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U64: BigUint64Array,
  U32: Uint32Array,
  U16: Uint16Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
  F8_E4M3: Uint8Array,
  F8_E5M2: Uint8Array,
};

/** True on little-endian hosts (all mainstream ones); big-endian hosts byte-swap on the way. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let start = 0; start < bytes.length; start += size) {
    for (let k = 0; k < size; k++) out[start + k] = bytes[start + size - 1 - k]!;
  }
  return out;
}

/**
 * The stored elements as a native typed array in the dtype's storage layout (F16/BF16 as raw
 * `Uint16Array` bits). A zero-copy view of `tensor.data` when it is aligned (always the case
 * for tensors read from files reprokit wrote), otherwise a copy.
 *
 * @example
 * const bits = toStorageArray(tensor); // Uint16Array for an F16 tensor
 */
export function toStorageArray(tensor: CheckpointTensor, name?: string): StorageArray {
  checkTensor(tensor, name);
  const Constructor = STORAGE[tensor.dtype];
  const size = dtypeSize(tensor.dtype);
  let bytes = tensor.data;
  if (!HOST_IS_LITTLE_ENDIAN && size > 1) bytes = swapBytes(bytes, size);
  else if (bytes.byteOffset % size !== 0) bytes = new Uint8Array(bytes); // a copy, also for a Buffer
  const view = Constructor as new (
    buffer: ArrayBufferLike,
    offset: number,
    length: number,
  ) => StorageArray;
  return new view(bytes.buffer, bytes.byteOffset, bytes.length / size);
}

/**
 * A tensor's elements as the typed array that suits its dtype (see `TypedArrayByDtype`).
 * F16 and BF16 are decoded to a new Float32Array exactly; other dtypes give a zero-copy
 * view of `tensor.data` when aligned (writes through it change the tensor), else a copy.
 *
 * @example
 * const values = toTypedArray({ dtype: 'F32', shape: [2], data }); // Float32Array(2)
 */
export function toTypedArray<D extends Dtype>(
  tensor: CheckpointTensor & { readonly dtype: D },
): TypedArrayByDtype[D];
export function toTypedArray(tensor: CheckpointTensor): TypedArrayByDtype[Dtype];
export function toTypedArray(tensor: CheckpointTensor): TypedArrayByDtype[Dtype] {
  const stored = toStorageArray(tensor);
  if (tensor.dtype === 'F16') return float16ToFloat32Array(stored as Uint16Array);
  if (tensor.dtype === 'BF16') return bfloat16ToFloat32Array(stored as Uint16Array);
  return stored as TypedArrayByDtype[Dtype];
}

/**
 * Make a tensor from values. The bytes are always a fresh copy in little-endian order.
 * F16/BF16 take float values (rounded to float32, then to nearest even) or a `Uint16Array`
 * of raw bits; I64/U64 take bigints; BOOL takes booleans or numbers (non-zero is true).
 *
 * @example
 * const tensor = fromTypedArray('F16', [2], new Float32Array([1, 0.1]));
 * tensor.data; // Uint8Array [0x00, 0x3c, 0x66, 0x2e]
 */
export function fromTypedArray<D extends Dtype>(
  dtype: D,
  shape: readonly number[],
  values: TypedArrayInputByDtype[D],
): CheckpointTensor & { readonly dtype: D } {
  if (!isDtype(dtype)) {
    throw new CheckpointError({
      code: 'CHECKPOINT_UNSUPPORTED_DTYPE',
      message: `unknown dtype ${JSON.stringify(dtype)}`,
    });
  }
  checkShape(shape);
  const count = elementCount(shape);
  if (values.length !== count) {
    throw new CheckpointError({
      code: 'CHECKPOINT_INVALID_TENSOR',
      message: `${dtype} tensor of shape [${shape.join(',')}] needs ${count} values, got ${values.length}`,
    });
  }
  const Constructor = STORAGE[dtype];
  let stored: ArrayBufferView;
  if ((dtype === 'F16' || dtype === 'BF16') && !(values instanceof Uint16Array)) {
    const floats =
      values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    stored = dtype === 'F16' ? float32ToFloat16Array(floats) : float32ToBfloat16Array(floats);
  } else if (dtype === 'BOOL' && !(values instanceof Uint8Array)) {
    const out = new Uint8Array(count);
    const source = values as ArrayLike<number | boolean>;
    for (let index = 0; index < count; index++) out[index] = source[index] ? 1 : 0;
    stored = out;
  } else if (values instanceof Constructor) {
    stored = values as ArrayBufferView;
  } else {
    // biome-ignore lint/suspicious/noExplicitAny: each constructor accepts its own element type
    stored = (Constructor as any).from(values) as ArrayBufferView;
  }
  let data: Uint8Array = new Uint8Array(
    stored.buffer,
    stored.byteOffset,
    stored.byteLength,
  ).slice();
  const size = dtypeSize(dtype);
  if (!HOST_IS_LITTLE_ENDIAN && size > 1) data = swapBytes(data, size);
  return { dtype, shape: [...shape], data };
}

function checkShape(shape: readonly number[], name?: string): void {
  if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new CheckpointError({
      code: 'CHECKPOINT_INVALID_TENSOR',
      message: `shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
}

/** Throws `CheckpointError` unless dtype, shape and byte length agree. */
export function checkTensor(tensor: CheckpointTensor, name?: string): void {
  const where = name === undefined ? {} : { tensor: name };
  if (!isDtype(tensor.dtype)) {
    throw new CheckpointError({
      code: 'CHECKPOINT_UNSUPPORTED_DTYPE',
      message: `unknown dtype ${JSON.stringify(tensor.dtype)}`,
      ...where,
    });
  }
  checkShape(tensor.shape, name);
  const expected = elementCount(tensor.shape) * dtypeSize(tensor.dtype);
  if (!(tensor.data instanceof Uint8Array) || tensor.data.length !== expected) {
    throw new CheckpointError({
      code: 'CHECKPOINT_INVALID_TENSOR',
      message: `${tensor.dtype} [${tensor.shape.join(',')}] needs ${expected} bytes, data has ${
        tensor.data instanceof Uint8Array ? tensor.data.length : 'no Uint8Array'
      }`,
      ...where,
    });
  }
}
