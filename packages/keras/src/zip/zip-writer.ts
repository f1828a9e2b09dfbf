import { crc32 } from './crc32.js';

/** One file to put in a zip archive. */
export interface ZipInput {
  readonly name: string;
  readonly data: Uint8Array;
  /** `stored` (default, what Keras' `zipfile` writes) or `deflate`. */
  readonly method?: 'stored' | 'deflate';
}

const U32 = 0xffffffff;

/**
 * A zip archive as a list of byte chunks (write them in order, or join them): local headers
 * and data, then the central directory. Entries past 4 GiB or archives with more than 65535
 * entries get zip64 records. Timestamps are fixed (1980-01-01) so the same input gives the
 * same bytes; deflate uses `CompressionStream('deflate-raw')`.
 *
 * @example
 * const chunks = await encodeZip([{ name: 'config.json', data: configBytes }]);
 */
export async function encodeZip(inputs: readonly ZipInput[]): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const input of inputs) {
    const name = new TextEncoder().encode(input.name);
    const crc = crc32(input.data);
    const deflate = input.method === 'deflate';
    const stored = deflate ? await deflateRaw(input.data) : input.data;
    const zip64 = stored.length >= U32 || input.data.length >= U32 || offset >= U32;
    const utf8 = /[^\x20-\x7e]/.test(input.name) ? 0x0800 : 0;
    const version = zip64 ? 45 : 20;
    const method = deflate ? 8 : 0;
    // Local header: zip64 sizes in its extra field when they overflow.
    const localExtra = zip64 ? zip64Extra([input.data.length, stored.length]) : new Uint8Array(0);
    const local = new Uint8Array(30 + name.length + localExtra.length);
    const lv = view(local);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, version, true);
    lv.setUint16(6, utf8, true);
    lv.setUint16(8, method, true);
    lv.setUint16(10, 0, true); // 00:00
    lv.setUint16(12, (0 << 9) | (1 << 5) | 1, true); // 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, zip64 ? U32 : stored.length, true);
    lv.setUint32(22, zip64 ? U32 : input.data.length, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, localExtra.length, true);
    local.set(name, 30);
    local.set(localExtra, 30 + name.length);
    chunks.push(local, stored);
    const centralExtra = zip64
      ? zip64Extra([input.data.length, stored.length, offset])
      : new Uint8Array(0);
    const entry = new Uint8Array(46 + name.length + centralExtra.length);
    const cv = view(entry);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, (3 << 8) | version, true); // made by: Unix
    cv.setUint16(6, version, true);
    cv.setUint16(8, utf8, true);
    cv.setUint16(10, method, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, (0 << 9) | (1 << 5) | 1, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, zip64 ? U32 : stored.length, true);
    cv.setUint32(24, zip64 ? U32 : input.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, centralExtra.length, true);
    cv.setUint32(38, (0o100644 << 16) >>> 0, true); // regular file, rw-r--r--
    cv.setUint32(42, zip64 ? U32 : offset, true);
    entry.set(name, 46);
    entry.set(centralExtra, 46 + name.length);
    central.push(entry);
    offset += local.length + stored.length;
  }
  const directoryOffset = offset;
  const directorySize = central.reduce((sum, entry) => sum + entry.length, 0);
  chunks.push(...central);
  const needsZip64 = inputs.length >= 0xffff || directoryOffset >= U32 || directorySize >= U32;
  if (needsZip64) {
    const record = new Uint8Array(56 + 20);
    const rv = view(record);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setBigUint64(24, BigInt(inputs.length), true);
    rv.setBigUint64(32, BigInt(inputs.length), true);
    rv.setBigUint64(40, BigInt(directorySize), true);
    rv.setBigUint64(48, BigInt(directoryOffset), true);
    rv.setUint32(56, 0x07064b50, true);
    rv.setBigUint64(60, BigInt(directoryOffset + directorySize), true);
    rv.setUint32(68, 1, true);
    chunks.push(record);
  }
  const end = new Uint8Array(22);
  const ev = view(end);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, needsZip64 ? 0xffff : inputs.length, true);
  ev.setUint16(10, needsZip64 ? 0xffff : inputs.length, true);
  ev.setUint32(12, needsZip64 ? U32 : directorySize, true);
  ev.setUint32(16, needsZip64 ? U32 : directoryOffset, true);
  chunks.push(end);
  return chunks;
}

/** Joins chunks into one `Uint8Array`. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function zip64Extra(values: readonly number[]): Uint8Array {
  const extra = new Uint8Array(4 + 8 * values.length);
  const ev = view(extra);
  ev.setUint16(0, 0x0001, true);
  ev.setUint16(2, 8 * values.length, true);
  values.forEach((value, index) => {
    ev.setBigUint64(4 + 8 * index, BigInt(value), true);
  });
  return extra;
}

async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate-raw'));
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(parts);
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
