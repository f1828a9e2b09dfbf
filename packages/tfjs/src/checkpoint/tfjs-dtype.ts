import type { Dtype } from '@reprokit/core';
import { TfjsError } from './tfjs-error.js';

/** The dtypes a tfjs variable can hold and reprokit stores. */
export type TfjsNumericDtype = 'float32' | 'int32' | 'bool';

/**
 * The checkpoint dtype for a tfjs dtype: float32 -> F32, int32 -> I32, bool -> BOOL.
 * Other tfjs dtypes (string, complex64) have no safetensors form and throw `TFJS_UNSUPPORTED_DTYPE`.
 *
 * @example
 * checkpointDtype('float32'); // 'F32'
 */
export function checkpointDtype(dtype: string, tensor?: string): Dtype {
  switch (dtype) {
    case 'float32':
      return 'F32';
    case 'int32':
      return 'I32';
    case 'bool':
      return 'BOOL';
    default:
      throw new TfjsError({
        code: 'TFJS_UNSUPPORTED_DTYPE',
        message: `tfjs dtype "${dtype}" has no checkpoint form (only float32, int32 and bool)`,
        tensor,
      });
  }
}

/**
 * The tfjs dtype for a checkpoint dtype, or `undefined` if tfjs cannot hold it directly.
 *
 * @example
 * tfjsDtype('I32'); // 'int32'
 */
export function tfjsDtype(dtype: Dtype): TfjsNumericDtype | undefined {
  if (dtype === 'F32') return 'float32';
  if (dtype === 'I32') return 'int32';
  if (dtype === 'BOOL') return 'bool';
  return undefined;
}

/**
 * A typed array over little-endian checkpoint bytes, copied so that the result owns an aligned
 * buffer of its own (tfjs keeps the array it is given, so it must not alias the checkpoint).
 *
 * @example
 * typedArrayCopy('F32', bytes); // Float32Array
 */
export function typedArrayCopy(
  dtype: TfjsNumericDtype,
  bytes: Uint8Array,
): Float32Array | Int32Array | Uint8Array {
  // `new Uint8Array(bytes)` copies into a fresh buffer at offset 0; `slice()` on a Node Buffer
  // would return a view into a shared pool instead.
  const copy = new Uint8Array(bytes);
  if (dtype === 'float32') return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  if (dtype === 'int32') return new Int32Array(copy.buffer, 0, copy.byteLength / 4);
  return copy;
}

/** The bytes of a typed array, copied. */
export function bytesCopy(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
