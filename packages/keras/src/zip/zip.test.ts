import { bytesSource } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { readZipDirectory, readZipEntry } from './zip-reader.js';
import { concatBytes, encodeZip } from './zip-writer.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('zip reader and writer', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(text('6789'), crc32(text('12345')))).toBe(0xcbf43926);
  });

  it('round-trips stored and deflated entries, names in UTF-8', async () => {
    const big = new Uint8Array(100_000).map((_, i) => i % 7);
    const archive = concatBytes(
      await encodeZip([
        { name: 'metadata.json', data: text('{"keras_version": "3.6.0"}') },
        { name: 'model.weights.h5', data: big, method: 'deflate' },
        { name: 'assets/vocabulaire-é.txt', data: text('a\nb') },
      ]),
    );
    const source = bytesSource(archive, 'a.keras');
    const entries = await readZipDirectory(source);
    expect(entries.map((entry) => [entry.name, entry.method, entry.size])).toEqual([
      ['metadata.json', 0, 26],
      ['model.weights.h5', 8, 100_000],
      ['assets/vocabulaire-é.txt', 0, 3],
    ]);
    expect(entries[1]!.compressedSize).toBeLessThan(2000);
    expect(await readZipEntry(source, entries[1]!)).toEqual(big);
    expect(new TextDecoder().decode(await readZipEntry(source, entries[2]!))).toBe('a\nb');
  });

  it('gives the same bytes for the same input (fixed timestamps)', async () => {
    const make = async () =>
      concatBytes(await encodeZip([{ name: 'config.json', data: text('{}'), method: 'deflate' }]));
    expect(await make()).toEqual(await make());
  });

  it('reads zip64 sizes and offsets from the extra field', async () => {
    // Rewrite a small archive's central entry the way zip64 writers do.
    const data = text('hello');
    const plain = concatBytes(await encodeZip([{ name: 'model.weights.h5', data }]));
    const name = 'model.weights.h5';
    const central = plain.length - 22 - (46 + name.length);
    const extra = new Uint8Array(4 + 24);
    const ev = new DataView(extra.buffer);
    ev.setUint16(0, 1, true);
    ev.setUint16(2, 24, true);
    ev.setBigUint64(4, 5n, true);
    ev.setBigUint64(12, 5n, true);
    ev.setBigUint64(20, 0n, true);
    const entry = plain.slice(central, central + 46 + name.length);
    const cv = new DataView(entry.buffer);
    cv.setUint32(20, 0xffffffff, true);
    cv.setUint32(24, 0xffffffff, true);
    cv.setUint32(42, 0xffffffff, true);
    cv.setUint16(30, extra.length, true);
    const end = plain.slice(plain.length - 22);
    new DataView(end.buffer).setUint32(12, entry.length + extra.length, true);
    const archive = concatBytes([plain.subarray(0, central), entry, extra, end]);
    const source = bytesSource(archive);
    const [found] = await readZipDirectory(source);
    expect(found).toMatchObject({ name, size: 5, compressedSize: 5, localHeaderOffset: 0 });
    expect(await readZipEntry(source, found!)).toEqual(data);
  });

  it('refuses damage with KERAS_INVALID_ZIP', async () => {
    await expect(readZipDirectory(bytesSource(new Uint8Array(10)))).rejects.toMatchObject({
      code: 'KERAS_INVALID_ZIP',
    });
    const archive = concatBytes(
      await encodeZip([{ name: 'a', data: text('abc'), method: 'deflate' }]),
    );
    const source = bytesSource(archive);
    const [entry] = await readZipDirectory(source);
    await expect(
      readZipEntry(source, { ...entry!, crc32: entry!.crc32 ^ 1 }),
    ).rejects.toMatchObject({
      code: 'KERAS_INVALID_ZIP',
    });
    await expect(readZipEntry(source, { ...entry!, size: entry!.size + 1 })).rejects.toMatchObject({
      code: 'KERAS_INVALID_ZIP',
    });
    await expect(readZipEntry(source, { ...entry!, method: 12 })).rejects.toMatchObject({
      code: 'KERAS_UNSUPPORTED_COMPRESSION',
    });
  });
});
