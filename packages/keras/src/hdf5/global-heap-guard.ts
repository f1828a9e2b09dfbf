import type { H5Module } from './h5-module.js';

/** "GCOL": the signature of an HDF5 global heap collection (where variable-length data lives). */
const GCOL = [0x47, 0x43, 0x4f, 0x4c];
/** Emscripten's errno for an I/O error. */
const EIO = 29;

interface StreamOps {
  read(
    stream: unknown,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
}

interface GuardFs {
  lookupPath(path: string): { node: { stream_ops: StreamOps } };
  ErrnoError: new (errno: number) => Error;
}

/**
 * Makes reads of one MEMFS file fail with EIO when HDF5 loads a global heap collection that
 * would hang it. HDF5 (1.10 as in h5py, and 2.0 as in h5wasm) walks a collection's objects
 * without checking progress: a free-space object of size 0 loops forever, so a damaged file
 * with a variable-length string attribute can freeze the reader (native h5py hangs on it too).
 * The guard checks each collection as HDF5 reads it, against the file's own bytes, and turns a
 * walk that would not end, or would run past the collection, into a read error HDF5 reports.
 * Reads of anything else pass through untouched.
 */
export function guardGlobalHeaps(module: H5Module, path: string, bytes: Uint8Array): ReadLog {
  const fs = module.FS as unknown as GuardFs;
  const { node } = fs.lookupPath(path);
  const original = node.stream_ops;
  const log: ReadLog = { reads: undefined };
  node.stream_ops = {
    ...original,
    read(stream, buffer, offset, length, position) {
      if (
        length >= 16 &&
        position + 16 <= bytes.length &&
        GCOL.every((byte, index) => bytes[position + index] === byte) &&
        !walkableCollection(bytes, position)
      ) {
        throw new fs.ErrnoError(EIO);
      }
      log.reads?.push({ position, length });
      return original.read(stream, buffer, offset, length, position);
    },
  };
  return log;
}

/** Where HDF5 read the file, while `reads` is an array (set it to record, unset to stop). */
export interface ReadLog {
  reads: Array<{ position: number; length: number }> | undefined;
}

/**
 * Whether the global heap collection at `start` can be walked to its end the way HDF5 walks it:
 * object headers of 16 bytes (index, reference count, reserved, size), objects padded to 8
 * bytes, a free-space object (index 0) whose size includes its header.
 *
 * @example
 * walkableCollection(fileBytes, 4096); // false for a collection with a zero-size free-space object
 */
export function walkableCollection(bytes: Uint8Array, start: number): boolean {
  if (start + 16 > bytes.length) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = Number(view.getBigUint64(start + 8, true));
  if (!Number.isSafeInteger(size) || size < 16 || start + size > bytes.length) return false;
  let at = 16;
  while (at < size) {
    // Less than an object header left: HDF5 takes it as free space and stops.
    if (at + 16 > size) return true;
    const index = view.getUint16(start + at, true);
    const objectSize = Number(view.getBigUint64(start + at + 8, true));
    if (!Number.isSafeInteger(objectSize)) return false;
    const need = index > 0 ? 16 + Math.ceil(objectSize / 8) * 8 : objectSize;
    if (need <= 0 || at + need > size) return false;
    at += need;
  }
  return true;
}
