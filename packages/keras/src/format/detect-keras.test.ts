import { describe, expect, it } from 'vitest';
import { concatBytes, encodeZip } from '../zip/zip-writer.js';
import { detectKeras, HDF5_SIGNATURE, hdf5SignatureOffset } from './detect-keras.js';

describe('detectKeras', () => {
  it('finds the HDF5 signature at 0, 512, 1024, ... (after a user block)', () => {
    const at = (offset: number) => {
      const bytes = new Uint8Array(offset + 64);
      bytes.set(HDF5_SIGNATURE, offset);
      return bytes;
    };
    expect([0, 512, 1024, 4096].map((offset) => hdf5SignatureOffset(at(offset)))).toEqual([
      0, 512, 1024, 4096,
    ]);
    expect(hdf5SignatureOffset(at(100))).toBe(-1);
    expect(detectKeras(at(0).subarray(0, 8))).toBe(true);
  });

  it('knows a .keras archive by the entry Keras writes first, and refuses other zips and text', async () => {
    const zip = async (name: string) =>
      concatBytes(await encodeZip([{ name, data: new Uint8Array(3) }]));
    expect(detectKeras(await zip('metadata.json'))).toBe(true);
    expect(detectKeras(await zip('model.weights.h5'))).toBe(true);
    expect(detectKeras(await zip('word/document.xml'))).toBe(false);
    expect(detectKeras(new TextEncoder().encode('{"format": "safetensors"}'))).toBe(false);
    expect(detectKeras(new Uint8Array(0))).toBe(false);
  });
});
