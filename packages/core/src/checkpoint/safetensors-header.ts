import { describeContent } from '../store/describe-content.js';
import { type Dtype, dtypeSize, isDtype } from './dtype.js';
import {
  type HeaderEntry,
  HeaderJsonError,
  type HeaderValue,
  parseHeaderJson,
} from './header-json.js';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error.js';
import { type HeaderEntries, scanSafetensorsHeader } from './safetensors-header-scan.js';
import { firstInvalidUtf8, utf8Length } from './utf8-piece-reader.js';

/** Largest header the reference implementation accepts (100 MB, decimal). */
export const MAX_HEADER_LENGTH = 100_000_000;

/** The key that holds string metadata instead of a tensor. */
export const METADATA_KEY = '__metadata__';

/**
 * Dtypes the safetensors specification names that reprokit cannot represent (sub-byte floats,
 * complex, FNUZ and E8M0 floats): a file using them is refused with SAFETENSORS_UNSUPPORTED_DTYPE,
 * never misread.
 */
export const UNSUPPORTED_SPEC_DTYPES: readonly string[] = [
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
  'C64',
];

/** Where one tensor's bytes are: `begin`/`end` are relative to `dataStart`. */
export interface SafetensorsTensorInfo {
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A validated safetensors header. Tensors are in data order (by `begin`). */
export interface SafetensorsHeader {
  /** N, the length of the JSON header in bytes (padding included). */
  readonly headerLength: number;
  /** `8 + headerLength`: absolute file offset of the first data byte. */
  readonly dataStart: number;
  /** Bytes of tensor data: file size minus `dataStart`. */
  readonly dataLength: number;
  readonly tensors: Map<string, SafetensorsTensorInfo>;
  readonly metadata: Map<string, string>;
}

export interface ParseHeaderOptions {
  /** File name for error messages; `<bytes>` when not given. */
  file?: string;
  /**
   * Size of the whole file. Defaults to `bytes.length`; pass it when `bytes` holds only the
   * first `8 + N` bytes (a lazy reader) so offsets are still checked against the real end.
   */
  fileSize?: number;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Validate the 8-byte length prefix against the file size and return N.
 * Throws FILE_TOO_SMALL, HEADER_TOO_LARGE or HEADER_TRUNCATED.
 *
 * @example
 * const headerLength = readHeaderLength(firstEightBytes, fileSize, 'model.safetensors');
 */
export function readHeaderLength(prefix: Uint8Array, fileSize: number, file = '<bytes>'): number {
  if (prefix.length < 8 || fileSize < 8) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_FILE_TOO_SMALL',
      message: `a safetensors file has at least 8 bytes (the header length), this one has ${fileSize}`,
      file,
      byteOffset: 0,
    });
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_LENGTH)) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_HEADER_TOO_LARGE',
      message: `header length ${length} is above the ${MAX_HEADER_LENGTH}-byte limit${notSafetensors(prefix, fileSize)}`,
      file,
      byteOffset: 0,
    });
  }
  const headerLength = Number(length);
  if (8 + headerLength > fileSize) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_HEADER_TRUNCATED',
      message: `header length ${headerLength} runs past the end of the ${fileSize}-byte file${notSafetensors(prefix, fileSize)}`,
      file,
      byteOffset: fileSize,
    });
  }
  return headerLength;
}

/**
 * When the first bytes look like another format, say so: an ONNX model renamed to
 * `.safetensors` otherwise reports a header length of 8099005124419127304 bytes and nothing else.
 */
function notSafetensors(prefix: Uint8Array, fileSize: number): string {
  const looks = describeContent({ name: '', size: fileSize, head: prefix });
  return looks.startsWith('; it looks like') ? `: this is not a safetensors file${looks}` : '';
}

/**
 * Parse and fully validate a safetensors header, the way the reference implementation does:
 * strict UTF-8 JSON object, `__metadata__` of strings only, known dtypes, shapes of
 * non-negative integers, byte lengths that match, and data offsets that start at 0, leave no
 * hole, do not overlap and end exactly at the end of the file. Nothing is allocated from what
 * the header claims. `bytes` is the file, or at least its first `8 + N` bytes with `fileSize`.
 *
 * @example
 * const header = parseSafetensorsHeader(bytes);
 * header.tensors.get('dense/kernel'); // { dtype: 'F32', shape: [3, 2], begin: 0, end: 24 }
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  options: ParseHeaderOptions = {},
): SafetensorsHeader {
  const file = options.file ?? '<bytes>';
  const fileSize = options.fileSize ?? bytes.length;
  const headerLength = readHeaderLength(bytes, fileSize, file);
  const dataStart = 8 + headerLength;
  if (bytes.length < dataStart) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_HEADER_TRUNCATED',
      message: `only ${bytes.length} bytes given, the header needs ${dataStart}`,
      file,
      byteOffset: bytes.length,
    });
  }
  const headerBytes = bytes.subarray(8, dataStart);
  // The fast scan takes the usual headers; anything else, valid or not, the precise parser
  // decides, with the exact error code and byte offset.
  const entries = scanSafetensorsHeader(headerBytes) ?? parseHeaderPrecisely(headerBytes, file);
  const { tensors, metadata } = entries;
  const dataLength = fileSize - dataStart;
  return {
    headerLength,
    dataStart,
    dataLength,
    tensors: checkLayout(tensors, dataStart, fileSize, file),
    metadata,
  };
}

/**
 * The precise path: strict UTF-8, the syntax-tree JSON parser, then each entry checked on its
 * own, in file order. Throws the first problem with its code and absolute byte offset.
 */
function parseHeaderPrecisely(headerBytes: Uint8Array, file: string): HeaderEntries {
  let text: string;
  try {
    text = utf8Decoder.decode(headerBytes);
  } catch (cause) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_HEADER_NOT_UTF8',
      message: 'the header is not valid UTF-8',
      file,
      byteOffset: 8 + firstInvalidUtf8(headerBytes),
      cause,
    });
  }
  const offsetOf = (charIndex: number) => 8 + utf8Length(text, 0, charIndex);

  let root: HeaderValue;
  try {
    root = parseHeaderJson(text);
  } catch (cause) {
    if (!(cause instanceof HeaderJsonError)) throw cause;
    const duplicate = cause.duplicate;
    if (duplicate !== undefined && duplicate.depth === 0) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_DUPLICATE_TENSOR',
        message: `the header names ${JSON.stringify(duplicate.key)} twice`,
        file,
        tensor: duplicate.key,
        byteOffset: offsetOf(cause.at),
        cause,
      });
    }
    throw new SafetensorsError({
      code: duplicate === undefined ? 'SAFETENSORS_HEADER_NOT_JSON' : 'SAFETENSORS_DUPLICATE_KEY',
      message: `the header is not valid JSON: ${cause.message}`,
      file,
      byteOffset: offsetOf(cause.at),
      cause,
    });
  }
  if (root.kind !== 'object') {
    throw new SafetensorsError({
      code: 'SAFETENSORS_HEADER_NOT_OBJECT',
      message: `the header must be a JSON object, found ${describe(root)}`,
      file,
      byteOffset: offsetOf(root.at),
    });
  }

  const metadata = new Map<string, string>();
  const tensors = new Map<string, SafetensorsTensorInfo>();
  for (const [name, entry] of root.entries) {
    if (name === METADATA_KEY) {
      readMetadata(entry, metadata, file, offsetOf);
      continue;
    }
    tensors.set(name, readTensorInfo(name, entry, file, offsetOf));
  }
  return { tensors, metadata };
}

/**
 * The layout checks, on tensors sorted by `begin` (then `end`, then file order), as the
 * reference does: data starts at 0, leaves no hole, has no overlap and ends exactly at the
 * end of the file. Returns the tensors in that order.
 */
function checkLayout(
  inFileOrder: Map<string, SafetensorsTensorInfo>,
  dataStart: number,
  fileSize: number,
  file: string,
): Map<string, SafetensorsTensorInfo> {
  // Writers put entries in data order, so sorting is usually not needed.
  let sorted = true;
  let previous: SafetensorsTensorInfo | undefined;
  for (const info of inFileOrder.values()) {
    if (
      previous !== undefined &&
      (info.begin < previous.begin || (info.begin === previous.begin && info.end < previous.end))
    ) {
      sorted = false;
      break;
    }
    previous = info;
  }
  let entries: Iterable<[string, SafetensorsTensorInfo]> = inFileOrder;
  if (!sorted) {
    // Array.prototype.sort is stable: equal (begin, end) keep their file order.
    entries = [...inFileOrder].sort(([, a], [, b]) => a.begin - b.begin || a.end - b.end);
  }

  const dataLength = fileSize - dataStart;
  let expected = 0;
  for (const [name, info] of entries) {
    if (info.begin !== expected) {
      const code: SafetensorsErrorCode =
        expected === 0
          ? 'SAFETENSORS_OFFSETS_NOT_FROM_ZERO'
          : info.begin > expected
            ? 'SAFETENSORS_OFFSETS_GAP'
            : 'SAFETENSORS_OFFSETS_OVERLAP';
      const problem =
        code === 'SAFETENSORS_OFFSETS_NOT_FROM_ZERO'
          ? 'data must start at offset 0'
          : code === 'SAFETENSORS_OFFSETS_GAP'
            ? `leaves a hole of ${info.begin - expected} bytes before it`
            : `overlaps the previous tensor by ${expected - info.begin} bytes`;
      throw new SafetensorsError({
        code,
        message: `data_offsets [${info.begin}, ${info.end}]: ${problem} (expected it to begin at ${expected})`,
        file,
        tensor: name,
        byteOffset: dataStart + Math.min(info.begin, expected),
      });
    }
    if (info.end > dataLength) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_DATA_TRUNCATED',
        message: `data_offsets [${info.begin}, ${info.end}] run past the end of the data (${dataLength} bytes): the file ends early`,
        file,
        tensor: name,
        byteOffset: fileSize,
      });
    }
    expected = info.end;
  }
  if (expected !== dataLength) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_TRAILING_BYTES',
      message: `${dataLength - expected} bytes after the last tensor belong to no tensor`,
      file,
      byteOffset: dataStart + expected,
    });
  }
  return sorted ? inFileOrder : new Map(entries);
}

function readMetadata(
  entry: HeaderEntry,
  metadata: Map<string, string>,
  file: string,
  offsetOf: (at: number) => number,
): void {
  const value = entry.value;
  if (value.kind !== 'object') {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_METADATA',
      message: `__metadata__ must be an object of strings, found ${describe(value)}`,
      file,
      byteOffset: offsetOf(value.at),
    });
  }
  for (const [key, item] of value.entries) {
    if (item.value.kind !== 'string') {
      throw new SafetensorsError({
        code: 'SAFETENSORS_INVALID_METADATA',
        message: `__metadata__[${JSON.stringify(key)}] must be a string, found ${describe(item.value)}`,
        file,
        byteOffset: offsetOf(item.value.at),
      });
    }
    metadata.set(key, item.value.value);
  }
}

function readTensorInfo(
  name: string,
  entry: HeaderEntry,
  file: string,
  offsetOf: (at: number) => number,
): SafetensorsTensorInfo {
  const value = entry.value;
  const fail = (code: SafetensorsErrorCode, message: string, at: number): never => {
    throw new SafetensorsError({ code, message, file, tensor: name, byteOffset: offsetOf(at) });
  };
  if (value.kind !== 'object') {
    return fail(
      'SAFETENSORS_INVALID_TENSOR_ENTRY',
      `a tensor entry must be an object with dtype, shape and data_offsets, found ${describe(value)}`,
      value.at,
    );
  }
  const field = (key: string): HeaderValue => {
    const found = value.entries.get(key);
    if (found === undefined) {
      return fail('SAFETENSORS_INVALID_TENSOR_ENTRY', `the tensor entry has no "${key}"`, value.at);
    }
    return found.value;
  };

  const dtypeValue = field('dtype');
  if (dtypeValue.kind !== 'string') {
    return fail(
      'SAFETENSORS_INVALID_TENSOR_ENTRY',
      `dtype must be a string, found ${describe(dtypeValue)}`,
      dtypeValue.at,
    );
  }
  const dtype = dtypeValue.value;
  if (!isDtype(dtype)) {
    if (UNSUPPORTED_SPEC_DTYPES.includes(dtype)) {
      return fail(
        'SAFETENSORS_UNSUPPORTED_DTYPE',
        `dtype ${dtype} is valid safetensors but reprokit cannot represent it`,
        dtypeValue.at,
      );
    }
    return fail(
      'SAFETENSORS_UNKNOWN_DTYPE',
      `unknown dtype ${JSON.stringify(dtype)}`,
      dtypeValue.at,
    );
  }

  const shapeValue = field('shape');
  if (shapeValue.kind !== 'array') {
    return fail(
      'SAFETENSORS_INVALID_SHAPE',
      `shape must be an array, found ${describe(shapeValue)}`,
      shapeValue.at,
    );
  }
  const shape: number[] = [];
  let elements = 1n;
  for (const dim of shapeValue.items) {
    if (dim.kind !== 'integer' || dim.value < 0n) {
      return fail(
        'SAFETENSORS_INVALID_SHAPE',
        `shape entries must be non-negative integers, found ${describe(dim)}`,
        dim.at,
      );
    }
    shape.push(Number(dim.value));
    elements *= dim.value;
  }
  const byteLength = elements * BigInt(dtypeSize(dtype));
  if (
    byteLength > BigInt(Number.MAX_SAFE_INTEGER) ||
    shape.some((dim) => !Number.isSafeInteger(dim))
  ) {
    return fail(
      'SAFETENSORS_SHAPE_OVERFLOW',
      `shape [${shapeValue.items.map((d) => (d.kind === 'integer' ? d.value : '?')).join(',')}] of ${dtype} overflows`,
      shapeValue.at,
    );
  }

  const offsetsValue = field('data_offsets');
  if (
    offsetsValue.kind !== 'array' ||
    offsetsValue.items.length !== 2 ||
    offsetsValue.items.some((item) => item.kind !== 'integer' || item.value < 0n)
  ) {
    return fail(
      'SAFETENSORS_INVALID_OFFSETS',
      `data_offsets must be [begin, end] with non-negative integers, found ${describe(offsetsValue)}`,
      offsetsValue.at,
    );
  }
  const [beginValue, endValue] = offsetsValue.items.map(
    (item) => (item as { value: bigint }).value,
  ) as [bigint, bigint];
  if (endValue < beginValue) {
    return fail(
      'SAFETENSORS_OFFSETS_REVERSED',
      `data_offsets [${beginValue}, ${endValue}] end before they begin`,
      offsetsValue.at,
    );
  }
  if (endValue - beginValue !== byteLength) {
    return fail(
      'SAFETENSORS_BYTE_LENGTH_MISMATCH',
      `data_offsets [${beginValue}, ${endValue}] hold ${endValue - beginValue} bytes, ${dtype} [${shape.join(',')}] needs ${byteLength}`,
      offsetsValue.at,
    );
  }
  // Past 2^53 no file can hold it; clamp so the layout check reports a truncated file.
  const begin =
    beginValue > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(beginValue);
  const end = begin + Number(byteLength);
  return { dtype, shape, begin, end };
}

function describe(value: HeaderValue): string {
  switch (value.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return `an array of ${value.items.length}`;
    case 'string':
      return `the string ${JSON.stringify(value.value.length > 40 ? `${value.value.slice(0, 40)}...` : value.value)}`;
    case 'integer':
      return `the integer ${value.value}`;
    case 'number':
      return `the number ${value.value}`;
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
  }
}
