import type { TensorProto } from 'onnx-buf';
import { OnnxError } from '../errors/onnx-error.js';

/** Where an initializer's bytes live outside the model, as its `external_data` entries say. */
export interface ExternalDataReference {
  /** The location exactly as written in the model. */
  readonly location: string;
  /** The location normalized (forward slashes, no `.` segments); always inside the model's folder. */
  readonly normalizedLocation: string;
  readonly offset: number;
  /** `undefined` means "to the end of the file". */
  readonly length: number | undefined;
}

/**
 * Read and check an initializer's `external_data` entries. The location must be relative and
 * stay inside the model's folder (ONNX says so, and a model from elsewhere must not make us
 * read `/etc/passwd` or `../../secrets`); offset and length must be decimal integers.
 */
export function parseExternalDataReference(
  tensor: TensorProto,
  name: string,
  file: string,
): ExternalDataReference {
  let location: string | undefined;
  let offsetText: string | undefined;
  let lengthText: string | undefined;
  for (const entry of tensor.externalData) {
    if (entry.key === 'location') location = entry.value;
    else if (entry.key === 'offset') offsetText = entry.value;
    else if (entry.key === 'length') lengthText = entry.value;
  }
  if (location === undefined || location === '') {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_INVALID',
      message: 'external data has no "location"',
      file,
      tensor: name,
    });
  }
  const normalizedLocation = normalizeLocation(location, name, file);
  const offset = offsetText === undefined ? 0 : parseCount(offsetText, 'offset', name, file);
  const length =
    lengthText === undefined ? undefined : parseCount(lengthText, 'length', name, file);
  return { location, normalizedLocation, offset, length };
}

/**
 * The location as a relative POSIX path inside the model's folder, or an
 * `ONNX_EXTERNAL_DATA_PATH` error when it is absolute or climbs out of the folder.
 *
 * @example
 * normalizeLocation('weights/./w.bin', 'w', 'model.onnx'); // 'weights/w.bin'
 */
export function normalizeLocation(location: string, name: string, file: string): string {
  if (/^([/\\]|[A-Za-z]:)/.test(location)) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_PATH',
      message: `external data location "${location}" is absolute; ONNX requires a path relative to the model's folder`,
      file,
      tensor: name,
    });
  }
  const parts: string[] = [];
  let leaves = location.includes('\0');
  for (const part of location.replaceAll('\\', '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.pop() === undefined) leaves = true;
  }
  if (leaves || parts.length === 0) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_PATH',
      message: `external data location "${location}" leaves the model's folder`,
      file,
      tensor: name,
    });
  }
  return parts.join('/');
}

function parseCount(text: string, key: string, name: string, file: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new OnnxError({
      code: 'ONNX_EXTERNAL_DATA_INVALID',
      message: `external data ${key} "${text}" is not a non-negative integer`,
      file,
      tensor: name,
    });
  }
  return value;
}
