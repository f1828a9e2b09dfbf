import {
  type ByteSource,
  type Dtype,
  dtypeSize,
  elementCount,
  MAX_HEADER_LENGTH,
  parseSafetensorsHeader,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
} from '@reprokit/core';
import { TensorProto_DataLocation } from 'onnx-buf';
import { onnxDataTypeToDtype } from '../dtype/onnx-dtype.js';
import { forEachInitializer } from '../graph/rewrite-model.js';
import type { OnnxModel } from '../model/onnx-model.js';
import { normalizeLocation, parseExternalDataReference } from './external-data-location.js';

/** What a model expects to find in one external data file, for one initializer. */
export interface ExpectedExternalTensor {
  readonly name: string;
  /** `undefined` when the ONNX type has no safetensors dtype (only the range is checked). */
  readonly dtype: Dtype | undefined;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

/**
 * Every initializer of `model` stored in the external file at `normalizedLocation`, with the
 * dtype, shape and byte range it expects there. Initializers whose entries are malformed are
 * left out: reading them fails with its own error later.
 */
export function expectedExternalTensors(
  model: OnnxModel,
  normalizedLocation: string,
): ExpectedExternalTensor[] {
  const expected: ExpectedExternalTensor[] = [];
  forEachInitializer(model.proto, (tensor, name) => {
    if (tensor.dataLocation !== TensorProto_DataLocation.EXTERNAL) return;
    try {
      const reference = parseExternalDataReference(tensor, name, model.name);
      if (normalizeLocation(reference.location, name, model.name) !== normalizedLocation) return;
      const dtype = onnxDataTypeToDtype(tensor.dataType);
      const shape = tensor.dims.map(Number);
      const length =
        reference.length ?? (dtype === undefined ? 0 : elementCount(shape) * dtypeSize(dtype));
      expected.push({ name, dtype, shape, offset: reference.offset, length });
    } catch {
      // reported when the initializer itself is read
    }
  });
  return expected;
}

/**
 * The header of a file if it is a safetensors file, else `undefined` (external data written by
 * the onnx Python package is raw bytes: those files are read as they are).
 */
export async function readSafetensorsHeaderOf(
  source: ByteSource,
): Promise<SafetensorsHeader | undefined> {
  if (source.size < 10) return undefined;
  const prefix = await source.read(0, 9);
  if (prefix[8] !== 0x7b /* { */) return undefined;
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_LENGTH) || 8 + Number(length) > source.size) return undefined;
  const bytes = await source.read(0, 8 + Number(length));
  try {
    return parseSafetensorsHeader(bytes, { fileSize: source.size, file: source.name });
  } catch {
    return undefined;
  }
}

/**
 * The first expected tensor the safetensors header does not hold where the model says:
 * a tensor of the same name must sit exactly at `offset = 8 + headerLength + begin` with
 * `length = end - begin` and the same dtype and shape. (A name the header does not have at
 * all is accepted when some tensor of that dtype and shape sits exactly at that range: models
 * made elsewhere may point into a file under other names.) `undefined` when all match.
 */
export function findMismatch(
  expected: readonly ExpectedExternalTensor[],
  header: SafetensorsHeader,
): ExpectedExternalTensor | undefined {
  const fits = (entry: ExpectedExternalTensor, info: SafetensorsTensorInfo) =>
    header.dataStart + info.begin === entry.offset &&
    info.end - info.begin === entry.length &&
    (entry.dtype === undefined || info.dtype === entry.dtype) &&
    info.shape.length === entry.shape.length &&
    info.shape.every((dim, index) => dim === entry.shape[index]);
  let byOffset: Map<number, SafetensorsTensorInfo[]> | undefined;
  for (const entry of expected) {
    const named = header.tensors.get(entry.name);
    if (named !== undefined) {
      if (!fits(entry, named)) return entry;
      continue;
    }
    if (byOffset === undefined) {
      byOffset = new Map();
      for (const info of header.tensors.values()) {
        const at = header.dataStart + info.begin;
        byOffset.set(at, [...(byOffset.get(at) ?? []), info]);
      }
    }
    if (!(byOffset.get(entry.offset) ?? []).some((info) => fits(entry, info))) return entry;
  }
  return undefined;
}

/**
 * Why `entry` does not match `header`, for an error message.
 *
 * @example
 * describeMismatch(entry, header); // 'the file holds "w" at bytes 136..160 (F32 [2,3]), ...'
 */
export function describeMismatch(entry: ExpectedExternalTensor, header: SafetensorsHeader): string {
  const wanted = `bytes ${entry.offset}..${entry.offset + entry.length} (${entry.dtype ?? 'any dtype'} [${entry.shape.join(',')}])`;
  const named = header.tensors.get(entry.name);
  const found =
    named === undefined
      ? 'the file has no tensor of that name or at that place'
      : `the file holds it at bytes ${header.dataStart + named.begin}..${header.dataStart + named.end} (${named.dtype} [${named.shape.join(',')}])`;
  return `the model expects ${wanted}, but ${found} (safetensors header length ${header.headerLength})`;
}
