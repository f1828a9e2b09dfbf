/*
 * The safetensors header parser as it was before the fast scan (commit ec613c2), kept
 * verbatim as the oracle of the property tests: the current parser must accept what this
 * one accepts with the same result, and refuse what it refuses with the same code, tensor
 * and byte offset. Test-only (excluded from the build and the package).
 */
import { dtypeSize, isDtype } from './dtype.js';
import {
  type HeaderEntry,
  HeaderJsonError,
  type HeaderValue,
  parseHeaderJson,
} from './header-json.js';
import { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error.js';
import {
  METADATA_KEY,
  type ParseHeaderOptions,
  readHeaderLength,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
  UNSUPPORTED_SPEC_DTYPES,
} from './safetensors-header.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

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
export function parseSafetensorsHeaderOracle(
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
  const offsetOf = (charIndex: number) => 8 + utf8Encoder.encode(text.slice(0, charIndex)).length;

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
  const entries: Array<{ name: string; info: SafetensorsTensorInfo; order: number }> = [];
  for (const [name, entry] of root.entries) {
    if (name === METADATA_KEY) {
      readMetadata(entry, metadata, file, offsetOf);
      continue;
    }
    entries.push({
      name,
      info: readTensorInfo(name, entry, file, offsetOf),
      order: entries.length,
    });
  }

  const dataLength = fileSize - dataStart;
  entries.sort(
    (a, b) => a.info.begin - b.info.begin || a.info.end - b.info.end || a.order - b.order,
  );
  let expected = 0;
  for (const { name, info } of entries) {
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

  const tensors = new Map<string, SafetensorsTensorInfo>();
  for (const { name, info } of entries) tensors.set(name, info);
  return { headerLength, dataStart, dataLength, tensors, metadata };
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

/** Index of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    let length: number;
    let min: number;
    if (byte < 0x80) {
      index++;
      continue;
    }
    if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return index;
    }
    if (index + length > bytes.length) return index;
    let codePoint = byte & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[index + k]!;
      if ((next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return index;
    }
    index += length;
  }
  return bytes.length;
}
