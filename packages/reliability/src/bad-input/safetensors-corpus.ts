import { concat } from '@reprokit/conformance';
import { type CorpusCase, utf8 } from './corpus-case.js';

/**
 * safetensors bytes from a header text and data: the 8-byte little-endian length (the real
 * one unless `length` is given), the header, the data.
 */
export function safetensorsBytes(
  header: string | Uint8Array,
  data: Uint8Array = new Uint8Array(),
  length?: bigint,
): Uint8Array {
  const headerBytes = typeof header === 'string' ? utf8(header) : header;
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, length ?? BigInt(headerBytes.length), true);
  return concat(prefix, headerBytes, data);
}

const f32 = (begin: number, end: number, shape = [(end - begin) / 4]) =>
  `{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;

/**
 * The malformed safetensors files of the corpus: one per check of the reader (length prefix,
 * UTF-8, JSON, header shape, metadata, dtypes, shapes, offsets, file length).
 *
 * @example
 * safetensorsCorpus().find((c) => c.name === 'offsets-gap')?.code; // 'SAFETENSORS_OFFSETS_GAP'
 */
export function safetensorsCorpus(): CorpusCase[] {
  const eight = new Uint8Array(8).fill(7);
  const sixteen = new Uint8Array(16).fill(9);
  const one = (name: string, code: string, why: string, bytes: Uint8Array): CorpusCase => ({
    name,
    code,
    why,
    files: new Map([[`${name}.safetensors`, bytes]]),
  });
  return [
    one(
      'file-too-small',
      'SAFETENSORS_FILE_TOO_SMALL',
      'only 5 bytes, no room for the length',
      Uint8Array.of(1, 0, 0, 0, 0),
    ),
    one('empty-file', 'SAFETENSORS_FILE_TOO_SMALL', 'zero bytes', new Uint8Array()),
    one(
      'header-too-large',
      'SAFETENSORS_HEADER_TOO_LARGE',
      'length prefix 2^63',
      safetensorsBytes('{}', undefined, 2n ** 63n),
    ),
    one(
      'header-length-max',
      'SAFETENSORS_HEADER_TOO_LARGE',
      'length prefix 2^64-1',
      safetensorsBytes('{}', undefined, 2n ** 64n - 1n),
    ),
    one(
      'header-truncated',
      'SAFETENSORS_HEADER_TRUNCATED',
      'length prefix 4096 in a 10-byte file',
      safetensorsBytes('{}', undefined, 4096n),
    ),
    one(
      'header-not-utf8',
      'SAFETENSORS_HEADER_NOT_UTF8',
      'a lone 0xff byte in the header',
      safetensorsBytes(concat(utf8('{"'), Uint8Array.of(0xff), utf8('":1}'))),
    ),
    one(
      'header-not-json',
      'SAFETENSORS_HEADER_NOT_JSON',
      'unterminated object',
      safetensorsBytes('{"a":'),
    ),
    one(
      'header-trailing-comma',
      'SAFETENSORS_HEADER_NOT_JSON',
      'a trailing comma',
      safetensorsBytes('{"__metadata__":{},}'),
    ),
    one(
      'header-too-deep',
      'SAFETENSORS_HEADER_NOT_JSON',
      '300 nested arrays',
      safetensorsBytes(`{"a":${'['.repeat(300)}${']'.repeat(300)}}`),
    ),
    one(
      'header-not-object',
      'SAFETENSORS_HEADER_NOT_OBJECT',
      'the header is an array',
      safetensorsBytes('[]'),
    ),
    one(
      'duplicate-tensor',
      'SAFETENSORS_DUPLICATE_TENSOR',
      'the same name twice',
      safetensorsBytes(`{"w":${f32(0, 8)},"w":${f32(8, 16)}}`, sixteen),
    ),
    one(
      'duplicate-key',
      'SAFETENSORS_DUPLICATE_KEY',
      'dtype twice in one entry',
      safetensorsBytes(
        '{"w":{"dtype":"F32","dtype":"I32","shape":[2],"data_offsets":[0,8]}}',
        eight,
      ),
    ),
    one(
      'metadata-not-object',
      'SAFETENSORS_INVALID_METADATA',
      '__metadata__ is a string',
      safetensorsBytes('{"__metadata__":"x"}'),
    ),
    one(
      'metadata-not-string',
      'SAFETENSORS_INVALID_METADATA',
      'a metadata value is a number',
      safetensorsBytes('{"__metadata__":{"epoch":3}}'),
    ),
    one(
      'entry-not-object',
      'SAFETENSORS_INVALID_TENSOR_ENTRY',
      'a tensor entry is a number',
      safetensorsBytes('{"w":5}'),
    ),
    one(
      'entry-missing-offsets',
      'SAFETENSORS_INVALID_TENSOR_ENTRY',
      'no data_offsets',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[2]}}', eight),
    ),
    one(
      'dtype-not-string',
      'SAFETENSORS_INVALID_TENSOR_ENTRY',
      'dtype is a number',
      safetensorsBytes('{"w":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}', eight),
    ),
    one(
      'unknown-dtype',
      'SAFETENSORS_UNKNOWN_DTYPE',
      'dtype F31',
      safetensorsBytes('{"w":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}', eight),
    ),
    one(
      'unsupported-dtype',
      'SAFETENSORS_UNSUPPORTED_DTYPE',
      'dtype F4 (valid safetensors, not representable)',
      safetensorsBytes('{"w":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}', Uint8Array.of(0)),
    ),
    one(
      'shape-negative',
      'SAFETENSORS_INVALID_SHAPE',
      'a dimension of -2',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', eight),
    ),
    one(
      'shape-fraction',
      'SAFETENSORS_INVALID_SHAPE',
      'a dimension of 1.5',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}}', eight),
    ),
    one(
      'shape-not-array',
      'SAFETENSORS_INVALID_SHAPE',
      'shape is a string',
      safetensorsBytes('{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}', eight),
    ),
    one(
      'shape-overflow',
      'SAFETENSORS_SHAPE_OVERFLOW',
      'shape [2^32, 2^32, 2^32] of F32',
      safetensorsBytes(
        '{"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,8]}}',
        eight,
      ),
    ),
    one(
      'offsets-not-pair',
      'SAFETENSORS_INVALID_OFFSETS',
      'three data offsets',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}}', eight),
    ),
    one(
      'offsets-negative',
      'SAFETENSORS_INVALID_OFFSETS',
      'a negative offset',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}', eight),
    ),
    one(
      'offsets-reversed',
      'SAFETENSORS_OFFSETS_REVERSED',
      'end before begin',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}', eight),
    ),
    one(
      'byte-length-mismatch',
      'SAFETENSORS_BYTE_LENGTH_MISMATCH',
      'F32 [3] in 8 bytes',
      safetensorsBytes('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', eight),
    ),
    one(
      'offsets-not-from-zero',
      'SAFETENSORS_OFFSETS_NOT_FROM_ZERO',
      'the first tensor begins at 8',
      safetensorsBytes(`{"w":${f32(8, 16)}}`, sixteen),
    ),
    one(
      'offsets-gap',
      'SAFETENSORS_OFFSETS_GAP',
      'a hole of 4 bytes between tensors',
      safetensorsBytes(`{"a":${f32(0, 4)},"b":${f32(8, 16)}}`, sixteen),
    ),
    one(
      'offsets-overlap',
      'SAFETENSORS_OFFSETS_OVERLAP',
      'two tensors share bytes 4..8',
      safetensorsBytes(`{"a":${f32(0, 8)},"b":${f32(4, 12)}}`, sixteen.subarray(0, 12)),
    ),
    one(
      'offsets-huge',
      'SAFETENSORS_DATA_TRUNCATED',
      'a tensor claims 2^50 bytes of U8 in an 8-byte file',
      safetensorsBytes(
        '{"w":{"dtype":"U8","shape":[1125899906842624],"data_offsets":[0,1125899906842624]}}',
        eight,
      ),
    ),
    one(
      'shape-beyond-2-53',
      'SAFETENSORS_SHAPE_OVERFLOW',
      'a tensor claims 2^60 bytes of U8',
      safetensorsBytes(
        '{"w":{"dtype":"U8","shape":[1152921504606846976],"data_offsets":[0,1152921504606846976]}}',
        eight,
      ),
    ),
    one(
      'data-truncated',
      'SAFETENSORS_DATA_TRUNCATED',
      'the file ends 4 bytes early',
      safetensorsBytes(`{"w":${f32(0, 16)}}`, sixteen.subarray(0, 12)),
    ),
    one(
      'trailing-bytes',
      'SAFETENSORS_TRAILING_BYTES',
      '8 bytes after the last tensor',
      safetensorsBytes(`{"w":${f32(0, 8)}}`, sixteen),
    ),
  ];
}
