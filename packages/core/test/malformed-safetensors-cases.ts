/*
 * A corpus of malformed safetensors files, each built here byte by byte. Every file is fed to
 * every reader (bytes, a Blob, a file on disk; whole and lazy) and must be refused with the
 * same code, naming the tensor and the absolute byte offset where the problem is.
 */
import type { SafetensorsErrorCode } from '../src/index.js';

const encoder = new TextEncoder();

/** 8-byte little-endian length (of the header bytes unless overridden), header, data. */
export function build(
  header: string | Uint8Array,
  data: Uint8Array | number = 0,
  length?: bigint,
): Uint8Array {
  const headerBytes = typeof header === 'string' ? encoder.encode(header) : header;
  const dataBytes = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + headerBytes.length + dataBytes.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(dataBytes, 8 + headerBytes.length);
  return out;
}

/** Absolute file offset of `needle` inside an ASCII header (`nth` occurrence, 0-based). */
function at(header: string, needle: string, nth = 0): number {
  let index = -1;
  for (let k = 0; k <= nth; k++) index = header.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`test bug: ${needle} not in header`);
  return 8 + index;
}

export interface MalformedCase {
  name: string;
  bytes: Uint8Array;
  code: SafetensorsErrorCode;
  tensor?: string;
  byteOffset: number;
}

export const t = (dtype: string, shape: number[], begin: number, end: number) =>
  `{"dtype":"${dtype}","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;

export const malformedCases: MalformedCase[] = [];
const add = (c: MalformedCase) => malformedCases.push(c);

add({
  name: 'empty file',
  bytes: new Uint8Array(0),
  code: 'SAFETENSORS_FILE_TOO_SMALL',
  byteOffset: 0,
});
add({
  name: '7-byte file',
  bytes: new Uint8Array(7),
  code: 'SAFETENSORS_FILE_TOO_SMALL',
  byteOffset: 0,
});
add({
  name: 'header length just above 100 MB',
  bytes: build('{}', 0, 100_000_001n),
  code: 'SAFETENSORS_HEADER_TOO_LARGE',
  byteOffset: 0,
});
add({
  name: 'header length 2^64-1',
  bytes: build('{}', 0, 2n ** 64n - 1n),
  code: 'SAFETENSORS_HEADER_TOO_LARGE',
  byteOffset: 0,
});
add({
  name: 'header length past the end of the file',
  bytes: build('{}', 0, 100n),
  code: 'SAFETENSORS_HEADER_TRUNCATED',
  byteOffset: 10,
});
add({
  name: 'header length 0',
  bytes: build(''),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 8,
});
{
  const header = encoder.encode('{"ab":1}');
  header[3] = 0xff;
  add({
    name: 'header with an invalid UTF-8 byte',
    bytes: build(header),
    code: 'SAFETENSORS_HEADER_NOT_UTF8',
    byteOffset: 11,
  });
}
{
  const header = new Uint8Array([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]);
  add({
    name: 'header with overlong UTF-8',
    bytes: build(header),
    code: 'SAFETENSORS_HEADER_NOT_UTF8',
    byteOffset: 10,
  });
}
add({
  name: 'header cut mid-JSON',
  bytes: build('{"a":'),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 13,
});
add({
  name: 'text after the header object',
  bytes: build('{}  x'),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 12,
});
add({
  name: 'byte order mark before the JSON',
  bytes: build(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 8,
});
add({
  name: 'header is an array',
  bytes: build('[]      '),
  code: 'SAFETENSORS_HEADER_NOT_OBJECT',
  byteOffset: 8,
});
add({
  name: 'header is a string',
  bytes: build('"hello" '),
  code: 'SAFETENSORS_HEADER_NOT_OBJECT',
  byteOffset: 8,
});
add({
  name: 'control character inside a name',
  bytes: build('{"a\u0001":1}'),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 11,
});
add({
  name: 'lone surrogate escape in a name',
  bytes: build('{"\\ud800":{}}'),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 16,
});
add({
  name: 'nesting deeper than 128',
  bytes: build(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`),
  code: 'SAFETENSORS_HEADER_NOT_JSON',
  byteOffset: 8 + 5 + 127,
});
{
  const header = `{"w":${t('F128', [1], 0, 16)}}`;
  add({
    name: 'unknown dtype',
    bytes: build(header, 16),
    code: 'SAFETENSORS_UNKNOWN_DTYPE',
    tensor: 'w',
    byteOffset: at(header, '"F128"'),
  });
}
{
  const header = `{"w":${t('f32', [1], 0, 4)}}`;
  add({
    name: 'lower-case dtype',
    bytes: build(header, 4),
    code: 'SAFETENSORS_UNKNOWN_DTYPE',
    tensor: 'w',
    byteOffset: at(header, '"f32"'),
  });
}
{
  const header = `{"scale":${t('F8_E8M0', [4], 0, 4)}}`;
  add({
    name: 'spec dtype reprokit cannot represent',
    bytes: build(header, 4),
    code: 'SAFETENSORS_UNSUPPORTED_DTYPE',
    tensor: 'scale',
    byteOffset: at(header, '"F8_E8M0"'),
  });
}
{
  const header = '{"w":{"dtype":7,"shape":[],"data_offsets":[0,1]}}';
  add({
    name: 'dtype not a string',
    bytes: build(header, 1),
    code: 'SAFETENSORS_INVALID_TENSOR_ENTRY',
    tensor: 'w',
    byteOffset: at(header, '7'),
  });
}
{
  const header = `{"w":${t('F32', [-1], 0, 4)}}`;
  add({
    name: 'negative dimension',
    bytes: build(header, 4),
    code: 'SAFETENSORS_INVALID_SHAPE',
    tensor: 'w',
    byteOffset: at(header, '-1'),
  });
}
{
  const header = '{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}';
  add({
    name: 'fractional dimension',
    bytes: build(header, 8),
    code: 'SAFETENSORS_INVALID_SHAPE',
    tensor: 'w',
    byteOffset: at(header, '2.0'),
  });
}
{
  const header = '{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}';
  add({
    name: 'shape not an array',
    bytes: build(header, 8),
    code: 'SAFETENSORS_INVALID_SHAPE',
    tensor: 'w',
    byteOffset: at(header, '"2"'),
  });
}
{
  const header = `{"w":${t('F32', [2 ** 30, 2 ** 30, 2 ** 30], 0, 8)}}`;
  add({
    name: 'shape product overflows',
    bytes: build(header, 8),
    code: 'SAFETENSORS_SHAPE_OVERFLOW',
    tensor: 'w',
    byteOffset: at(header, '[1073741824'),
  });
}
{
  const header = '{"w":{"dtype":"U8","shape":[4],"data_offsets":[0,2,4]}}';
  add({
    name: 'three data offsets',
    bytes: build(header, 4),
    code: 'SAFETENSORS_INVALID_OFFSETS',
    tensor: 'w',
    byteOffset: at(header, '[0,2,4]'),
  });
}
{
  const header = '{"w":{"dtype":"U8","shape":[4]}}';
  add({
    name: 'missing data_offsets',
    bytes: build(header, 4),
    code: 'SAFETENSORS_INVALID_TENSOR_ENTRY',
    tensor: 'w',
    byteOffset: at(header, '{"dtype"'),
  });
}
{
  const header = '{"w":[1,2]}';
  add({
    name: 'tensor entry not an object',
    bytes: build(header),
    code: 'SAFETENSORS_INVALID_TENSOR_ENTRY',
    tensor: 'w',
    byteOffset: at(header, '[1,2]'),
  });
}
{
  const header = `{"w":${t('U8', [4], 8, 4)}}`;
  add({
    name: 'reversed data offsets',
    bytes: build(header, 8),
    code: 'SAFETENSORS_OFFSETS_REVERSED',
    tensor: 'w',
    byteOffset: at(header, '[8,4]'),
  });
}
{
  const header = `{"w":${t('F32', [2], 0, 4)}}`;
  add({
    name: 'byte length not elements times size',
    bytes: build(header, 4),
    code: 'SAFETENSORS_BYTE_LENGTH_MISMATCH',
    tensor: 'w',
    byteOffset: at(header, '[0,4]'),
  });
}
{
  const header = `{"w":${t('U8', [4], 4, 8)}}`;
  add({
    name: 'data not starting at 0',
    bytes: build(header, 8),
    code: 'SAFETENSORS_OFFSETS_NOT_FROM_ZERO',
    tensor: 'w',
    byteOffset: 8 + header.length,
  });
}
{
  const header = `{"a":${t('U8', [8], 0, 8)},"b":${t('U8', [8], 4, 12)}}`;
  add({
    name: 'overlapping tensors',
    bytes: build(header, 12),
    code: 'SAFETENSORS_OFFSETS_OVERLAP',
    tensor: 'b',
    byteOffset: 8 + header.length + 4,
  });
}
{
  const header = `{"a":${t('U8', [4], 0, 4)},"b":${t('U8', [4], 8, 12)}}`;
  add({
    name: 'hole between tensors',
    bytes: build(header, 12),
    code: 'SAFETENSORS_OFFSETS_GAP',
    tensor: 'b',
    byteOffset: 8 + header.length + 4,
  });
}
{
  const header = `{"w":${t('F32', [4], 0, 16)}}`;
  add({
    name: 'data past the end of the file',
    bytes: build(header, 8),
    code: 'SAFETENSORS_DATA_TRUNCATED',
    tensor: 'w',
    byteOffset: 8 + header.length + 8,
  });
}
{
  // Claims 4 PB: must be refused from the header, with no attempt to allocate it.
  const header = `{"huge":${t('F32', [1e15], 0, 4e15)}}`;
  add({
    name: 'header claims a petabyte tensor',
    bytes: build(header, 16),
    code: 'SAFETENSORS_DATA_TRUNCATED',
    tensor: 'huge',
    byteOffset: 8 + header.length + 16,
  });
}
{
  const header = `{"w":${t('U8', [4], 0, 4)}}`;
  add({
    name: 'bytes after the last tensor',
    bytes: build(header, 12),
    code: 'SAFETENSORS_TRAILING_BYTES',
    byteOffset: 8 + header.length + 4,
  });
}
add({
  name: 'data but no tensors',
  bytes: build('{}      ', 8),
  code: 'SAFETENSORS_TRAILING_BYTES',
  byteOffset: 16,
});
{
  const header = `{"w":${t('U8', [1], 0, 1)},"w":${t('U8', [1], 1, 2)}}`;
  add({
    name: 'duplicate tensor name',
    bytes: build(header, 2),
    code: 'SAFETENSORS_DUPLICATE_TENSOR',
    tensor: 'w',
    byteOffset: at(header, '"w"', 1),
  });
}
{
  const header = '{"w":{"dtype":"U8","dtype":"I8","shape":[1],"data_offsets":[0,1]}}';
  add({
    name: 'duplicate key inside a tensor entry',
    bytes: build(header, 1),
    code: 'SAFETENSORS_DUPLICATE_KEY',
    byteOffset: at(header, '"dtype"', 1),
  });
}
{
  const header = '{"__metadata__":{"format":"pt","epoch":3}}';
  add({
    name: 'metadata value not a string',
    bytes: build(header),
    code: 'SAFETENSORS_INVALID_METADATA',
    byteOffset: at(header, '3'),
  });
}
{
  const header = '{"__metadata__":["pt"]}';
  add({
    name: 'metadata not an object',
    bytes: build(header),
    code: 'SAFETENSORS_INVALID_METADATA',
    byteOffset: at(header, '["pt"]'),
  });
}
