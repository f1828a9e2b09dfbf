/** The 8-byte HDF5 format signature: `\x89HDF\r\n\x1a\n`. */
export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

/** Entry names that start a Keras `.keras` archive (Keras writes `metadata.json` first). */
const KERAS_ARCHIVE_ENTRIES = [
  'metadata.json',
  'config.json',
  'model.weights.h5',
  'model.weights.npz',
];

/**
 * The byte offset of the HDF5 superblock in `head`, or -1. HDF5 looks for its signature at 0,
 * then 512, 1024, 2048, ... (a user block may come first).
 *
 * @example
 * hdf5SignatureOffset(bytes); // 0 for an h5py file
 */
export function hdf5SignatureOffset(head: Uint8Array): number {
  for (
    let offset = 0;
    offset + HDF5_SIGNATURE.length <= head.length;
    offset = offset === 0 ? 512 : offset * 2
  ) {
    if (HDF5_SIGNATURE.every((byte, index) => head[offset + index] === byte)) return offset;
  }
  return -1;
}

/** Whether `head` starts a zip archive (a local file header). */
export function isZip(head: Uint8Array): boolean {
  return (
    head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
  );
}

/**
 * Whether `head` (the first bytes of a file; 64 KiB is plenty) looks like a Keras weights file:
 * HDF5 (signature at byte 0, 512, 1024, ...) or a `.keras` zip archive whose first entry is one
 * Keras writes (`metadata.json`, `config.json`, `model.weights.h5`). It does not open the file:
 * an HDF5 file without Keras attributes also says `true` (`inspectKeras` tells them apart).
 *
 * @example
 * detectKeras(await source.read(0, Math.min(source.size, 65536))); // true for .h5 / .keras
 */
export function detectKeras(head: Uint8Array): boolean {
  if (hdf5SignatureOffset(head) >= 0) return true;
  if (!isZip(head) || head.length < 30) return false;
  const nameLength = head[26]! | (head[27]! << 8);
  if (head.length < 30 + nameLength) return false;
  const name = new TextDecoder().decode(head.subarray(30, 30 + nameLength));
  return KERAS_ARCHIVE_ENTRIES.includes(name) || name.startsWith('assets/');
}
