import { describe, expect, it } from 'vitest';
import { walkableCollection } from './global-heap-guard.js';

function collection(objects: Array<{ index: number; size: number }>, total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set([0x47, 0x43, 0x4f, 0x4c, 1]);
  view.setBigUint64(8, BigInt(total), true);
  let at = 16;
  for (const object of objects) {
    view.setUint16(at, object.index, true);
    view.setBigUint64(at + 8, BigInt(object.size), true);
    at += object.index > 0 ? 16 + Math.ceil(object.size / 8) * 8 : object.size;
  }
  return bytes;
}

describe('walkableCollection', () => {
  it('accepts what HDF5 writes: objects padded to 8 bytes, then the free space', () => {
    expect(
      walkableCollection(
        collection(
          [
            { index: 1, size: 5 },
            { index: 0, size: 4096 - 16 - 24 },
          ],
          4096,
        ),
        0,
      ),
    ).toBe(true);
  });

  it('refuses a zero-size free-space object (HDF5 would loop forever) and objects past the end', () => {
    expect(
      walkableCollection(
        collection(
          [
            { index: 1, size: 5 },
            { index: 0, size: 0 },
          ],
          4096,
        ),
        0,
      ),
    ).toBe(false);
    expect(walkableCollection(collection([{ index: 1, size: 9000 }], 4096), 0)).toBe(false);
    const tooSmall = collection([], 32);
    new DataView(tooSmall.buffer).setBigUint64(8, 8n, true);
    expect(walkableCollection(tooSmall, 0)).toBe(false);
  });
});
