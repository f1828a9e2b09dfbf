import { type ByteSource, ReprokitError } from '@reprokit/core';
import { KerasError } from '../errors/keras-error.js';
import { crc32 } from './crc32.js';

/** One file in a zip archive, from its central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
  readonly flags: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Largest central directory read (a Keras archive has a handful of entries). */
const MAX_DIRECTORY_BYTES = 64 << 20;
/** DEFLATE cannot expand more than about 1032:1; a declared size past this is not real data. */
const MAX_EXPANSION = 1100;

/**
 * The entries of a zip archive (central directory, zip64 included). Throws `KERAS_INVALID_ZIP`
 * for anything that is not a well-formed archive.
 *
 * @example
 * const entries = await readZipDirectory(bytesSource(archiveBytes));
 */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const fail = (message: string, byteOffset?: number) =>
    new KerasError({ code: 'KERAS_INVALID_ZIP', message, file: source.name, byteOffset });
  const tailLength = Math.min(source.size, 22 + 0xffff);
  if (tailLength < 22) throw fail('too short for a zip archive (no end of central directory)');
  const tailStart = source.size - tailLength;
  const tail = await readRange(source, tailStart, tailLength);
  const view = dataView(tail);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (
      view.getUint32(at, true) === EOCD &&
      at + 22 + view.getUint16(at + 20, true) <= tail.length
    ) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw fail('no end of central directory record');
  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const recordOffset = readUint64(view, eocd - 20 + 8, fail);
    const record = dataView(await readRange(source, recordOffset, 56));
    if (record.getUint32(0, true) !== ZIP64_EOCD)
      throw fail('bad zip64 end of central directory', recordOffset);
    count = readUint64(record, 32, fail);
    directorySize = readUint64(record, 40, fail);
    directoryOffset = readUint64(record, 48, fail);
  }
  if (directorySize > MAX_DIRECTORY_BYTES || directoryOffset + directorySize > source.size) {
    throw fail(
      `the central directory (${directorySize} bytes at ${directoryOffset}) is not inside the file`,
      directoryOffset,
    );
  }
  const directory = await readRange(source, directoryOffset, directorySize);
  const dir = dataView(directory);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    if (at + 46 > directory.length || dir.getUint32(at, true) !== CENTRAL) {
      throw fail(`central directory entry ${index} is damaged`, directoryOffset + at);
    }
    const flags = dir.getUint16(at + 8, true);
    const method = dir.getUint16(at + 10, true);
    const crc = dir.getUint32(at + 16, true);
    let compressedSize = dir.getUint32(at + 20, true);
    let size = dir.getUint32(at + 24, true);
    const nameLength = dir.getUint16(at + 28, true);
    const extraLength = dir.getUint16(at + 30, true);
    const commentLength = dir.getUint16(at + 32, true);
    let localHeaderOffset = dir.getUint32(at + 42, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length)
      throw fail(`central directory entry ${index} runs past the directory`, directoryOffset + at);
    const name = new TextDecoder().decode(directory.subarray(at + 46, at + 46 + nameLength));
    // Zip64: the sizes and offset that overflow 32 bits are in extra field 0x0001, in this order.
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = dir.getUint16(extra, true);
      const length = dir.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let field = extra + 4;
        const take = () => {
          if (field + 8 > extra + 4 + length)
            throw fail(`zip64 field of "${name}" is too short`, directoryOffset + field);
          const value = readUint64(dir, field, fail);
          field += 8;
          return value;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      extra += 4 + length;
    }
    entries.push({ name, method, compressedSize, size, crc32: crc, localHeaderOffset, flags });
    at = end;
  }
  return entries;
}

/**
 * The bytes of one entry: stored entries are read as they are, deflated ones inflated with
 * `DecompressionStream('deflate-raw')` (Node >= 20 and browsers). The size and CRC-32 are checked;
 * an entry that claims to inflate far beyond its stored size throws `KERAS_ZIP_BOMB` before any
 * inflating, and inflating stops at the declared size.
 *
 * @example
 * const weights = await readZipEntry(source, entries.find((e) => e.name === 'model.weights.h5')!);
 */
export async function readZipEntry(
  source: ByteSource,
  entry: ZipEntry,
  options: { maxBytes?: number } = {},
): Promise<Uint8Array> {
  const fail = (message: string, byteOffset?: number) =>
    new KerasError({
      code: 'KERAS_INVALID_ZIP',
      message,
      file: source.name,
      tensor: entry.name,
      byteOffset,
    });
  if ((entry.flags & 1) !== 0) {
    throw new KerasError({
      code: 'KERAS_UNSUPPORTED_COMPRESSION',
      message: `"${entry.name}" is encrypted`,
      file: source.name,
    });
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new KerasError({
      code: 'KERAS_UNSUPPORTED_COMPRESSION',
      message: `"${entry.name}" uses zip compression method ${entry.method}; only stored (0) and deflate (8) are supported`,
      file: source.name,
    });
  }
  const maxBytes = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  if (
    entry.size > maxBytes ||
    (entry.method === 8 && entry.size > entry.compressedSize * MAX_EXPANSION + 1024)
  ) {
    throw new KerasError({
      code: 'KERAS_ZIP_BOMB',
      message: `"${entry.name}" declares ${entry.size} bytes from ${entry.compressedSize} stored bytes`,
      file: source.name,
    });
  }
  const header = dataView(await readRange(source, entry.localHeaderOffset, 30));
  if (header.getUint32(0, true) !== LOCAL)
    throw fail(`no local header for "${entry.name}"`, entry.localHeaderOffset);
  const dataOffset =
    entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  if (dataOffset + entry.compressedSize > source.size) {
    throw new KerasError({
      code: 'KERAS_TRUNCATED',
      message: `"${entry.name}" (${entry.compressedSize} bytes at ${dataOffset}) runs past the end of the archive`,
      file: source.name,
      byteOffset: dataOffset,
    });
  }
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw fail(
      `stored entry "${entry.name}" has ${entry.compressedSize} stored bytes but declares ${entry.size}`,
    );
  }
  const stored = await readRange(source, dataOffset, entry.compressedSize);
  const data = entry.method === 0 ? stored : await inflate(stored, entry, fail);
  if (crc32(data) !== entry.crc32)
    throw fail(`CRC-32 of "${entry.name}" does not match`, dataOffset);
  return data;
}

async function inflate(
  stored: Uint8Array,
  entry: ZipEntry,
  fail: (message: string) => KerasError,
): Promise<Uint8Array> {
  const out = new Uint8Array(entry.size);
  let written = 0;
  const stream = new Blob([stored as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (written + value.length > out.length) {
        throw fail(`"${entry.name}" inflates to more than the ${entry.size} bytes it declares`);
      }
      out.set(value, written);
      written += value.length;
    }
  } catch (error) {
    if (KerasError.isInstance(error)) throw error;
    throw fail(`"${entry.name}" is not valid deflate data: ${(error as Error).message}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (written !== entry.size)
    throw fail(`"${entry.name}" inflates to ${written} bytes, not the ${entry.size} it declares`);
  return out;
}

async function readRange(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await source.read(offset, length);
  } catch (error) {
    if (ReprokitError.isInstance(error)) {
      const code = (error as ReprokitError).code;
      if (code === 'SOURCE_OUT_OF_RANGE' || code === 'SOURCE_TRUNCATED') {
        throw new KerasError({
          code: 'KERAS_TRUNCATED',
          message: `the archive ends before byte ${offset + length}`,
          file: source.name,
          byteOffset: offset,
          cause: error,
        });
      }
    }
    throw error;
  }
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readUint64(
  view: DataView,
  at: number,
  fail: (message: string, byteOffset?: number) => KerasError,
): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw fail('a zip64 size or offset past 2^53');
  return Number(value);
}
