import { type CheckpointTensor, type Dtype, elementCount, toTypedArray } from '@reprokit/core';
import type { TfjsArtifactsErrorCode } from '../checkpoint/tfjs-error.js';
import { TfjsArtifactsError } from './tfjs-artifacts-error.js';
import type { WeightsManifestEntry } from './weights-manifest.js';

const storedSize: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};
const checkpointDtypes: Record<string, Dtype> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * Bytes a manifest weight takes in its group's data: elements times the stored element size
 * (the quantized size if quantized). Unknown or unsupported dtypes throw here, before any
 * shard is read.
 *
 * @example
 * manifestWeightByteLength({ name: 'w', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } }, 'model.json'); // 6
 */
export function manifestWeightByteLength(entry: WeightsManifestEntry, file: string): number {
  const fail = (code: TfjsArtifactsErrorCode, message: string) =>
    new TfjsArtifactsError({ code, message, file, tensor: entry.name });
  if (entry.dtype === 'string') {
    throw fail(
      'TFJS_ARTIFACT_STRING_WEIGHT',
      'string weights (used by some graph models for lookup tables) have no checkpoint form',
    );
  }
  const target = checkpointDtypes[entry.dtype];
  if (target === undefined) {
    throw fail(
      'TFJS_ARTIFACT_UNKNOWN_DTYPE',
      `unknown or unsupported dtype "${entry.dtype}" (float32, int32 and bool are supported)`,
    );
  }
  const quantization = entry.quantization;
  if (quantization === undefined) return elementCount(entry.shape) * storedSize[entry.dtype]!;
  switch (quantization.dtype) {
    case 'uint8':
    case 'uint16':
      if (entry.dtype === 'bool') {
        throw fail('TFJS_ARTIFACT_UNKNOWN_QUANTIZATION', 'bool weights cannot be quantized');
      }
      if (quantization.scale === undefined || quantization.min === undefined) {
        throw fail(
          'TFJS_ARTIFACT_QUANTIZATION_PARAMS',
          `${quantization.dtype} quantization needs "scale" and "min"`,
        );
      }
      break;
    case 'float16':
      if (entry.dtype !== 'float32') {
        throw fail(
          'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION',
          `float16 quantization applies to float32 weights only, not ${entry.dtype}`,
        );
      }
      break;
    default:
      throw fail(
        'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION',
        `unknown quantization dtype "${quantization.dtype}" (uint8, uint16 and float16 are supported)`,
      );
  }
  return elementCount(entry.shape) * storedSize[quantization.dtype]!;
}

/**
 * Decode one manifest weight from exactly its bytes into a checkpoint tensor, dequantizing as
 * `tf.io.decodeWeights` does: uint8/uint16 to float32 as `v * scale + min` rounded once to
 * float32, to int32 as `Math.round(v * scale + min)`; float16 widened exactly. Unquantized
 * bytes are copied as they are (or kept as a view with `{ copy: false }`).
 *
 * @example
 * decodeManifestWeight(entry, bytes, 'group1-shard1of1.bin'); // { dtype: 'F32', shape, data }
 */
export function decodeManifestWeight(
  entry: WeightsManifestEntry,
  bytes: Uint8Array,
  file: string,
  options: { copy?: boolean } = {},
): CheckpointTensor {
  const byteLength = manifestWeightByteLength(entry, file);
  if (bytes.byteLength !== byteLength) {
    throw new TfjsArtifactsError({
      code: 'TFJS_ARTIFACT_BYTE_LENGTH',
      message: `weight needs ${byteLength} bytes, got ${bytes.byteLength}`,
      file,
      tensor: entry.name,
    });
  }
  const dtype = checkpointDtypes[entry.dtype]!;
  const shape = [...entry.shape];
  const quantization = entry.quantization;
  if (quantization === undefined) {
    return { dtype, shape, data: options.copy === false ? bytes : bytes.slice() };
  }
  const count = elementCount(shape);
  if (quantization.dtype === 'float16') {
    // Core widens every half exactly, NaN payloads included, as tf.io.decodeWeights does.
    const out = toTypedArray({ dtype: 'F16', shape: [count], data: bytes });
    return { dtype, shape, data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  }
  const scale = quantization.scale!;
  const min = quantization.min!;
  const read =
    quantization.dtype === 'uint8'
      ? (index: number) => bytes[index]!
      : (index: number) => bytes[2 * index]! | (bytes[2 * index + 1]! << 8);
  if (dtype === 'I32') {
    const out = new Int32Array(count);
    for (let index = 0; index < count; index++) out[index] = Math.round(read(index) * scale + min);
    return { dtype, shape, data: new Uint8Array(out.buffer) };
  }
  const out = new Float32Array(count);
  for (let index = 0; index < count; index++) out[index] = read(index) * scale + min;
  return { dtype, shape, data: new Uint8Array(out.buffer) };
}
