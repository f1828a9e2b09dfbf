/**
 * Zeroes the dataset modification times HDF5 writes (an "object modification time" message,
 * type 0x0012, in each dataset's version-1 object header), so the same checkpoint always gives
 * the same file bytes. HDF5 stamps the wall clock; h5wasm cannot turn that off
 * (`H5Pset_obj_track_times` is not exported). Only times between `fromSeconds` and `toSeconds`
 * (the write's own start and end) are touched, so weight data that happened to look like the
 * message would also need to hold the current time. Version-1 headers carry no checksum.
 *
 * @example
 * const start = Math.floor(Date.now() / 1000);
 * const bytes = writeFile();
 * clearModificationTimes(bytes, start, Math.ceil(Date.now() / 1000)); // count of times cleared
 */
export function clearModificationTimes(
  bytes: Uint8Array,
  fromSeconds: number,
  toSeconds: number,
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let cleared = 0;
  // type 0x0012, size 8, flags, 3 reserved; then version 1, 3 reserved, uint32 seconds.
  for (let at = 0; at + 16 <= bytes.length; at++) {
    if (bytes[at] !== 0x12 || bytes[at + 1] !== 0 || bytes[at + 2] !== 8 || bytes[at + 3] !== 0)
      continue;
    if (bytes[at + 5] !== 0 || bytes[at + 6] !== 0 || bytes[at + 7] !== 0) continue;
    if (bytes[at + 8] !== 1 || bytes[at + 9] !== 0 || bytes[at + 10] !== 0 || bytes[at + 11] !== 0)
      continue;
    const seconds = view.getUint32(at + 12, true);
    if (seconds < fromSeconds || seconds > toSeconds) continue;
    view.setUint32(at + 12, 0, true);
    cleared++;
  }
  return cleared;
}
