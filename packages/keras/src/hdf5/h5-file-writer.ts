import { type Dtype, dtypeSize } from '@reprokit/core';
import { KerasError } from '../errors/keras-error.js';
import { blocks } from './block-plan.js';
import { hdf5ErrorSummary, withHdf5Errors } from './h5-error-capture.js';
import { H5T_FLOAT, H5T_INTEGER, H5T_STRING } from './h5-file-reader.js';
import type { H5Module } from './h5-module.js';

/** HDF5 element types the writer creates (h5wasm can create integers and 4/8-byte floats). */
const WRITABLE: Readonly<Partial<Record<Dtype, { type: number; size: number; signed: boolean }>>> =
  {
    F64: { type: H5T_FLOAT, size: 8, signed: true },
    F32: { type: H5T_FLOAT, size: 4, signed: true },
    I64: { type: H5T_INTEGER, size: 8, signed: true },
    I32: { type: H5T_INTEGER, size: 4, signed: true },
    I16: { type: H5T_INTEGER, size: 2, signed: true },
    I8: { type: H5T_INTEGER, size: 1, signed: true },
    U64: { type: H5T_INTEGER, size: 8, signed: false },
    U32: { type: H5T_INTEGER, size: 4, signed: false },
    U16: { type: H5T_INTEGER, size: 2, signed: false },
    U8: { type: H5T_INTEGER, size: 1, signed: false },
  };

/** Whether the writer can store `dtype` as it is. */
export function isWritableDtype(dtype: Dtype): boolean {
  return WRITABLE[dtype] !== undefined;
}

let createCount = 0;

/**
 * Writes one new HDF5 file in h5wasm's in-memory file system, with library version bounds
 * `earliest`..`v1.10`: superblock 0 and version-1 object headers, as h5py writes by default,
 * so HDF5 1.8 and 1.10 (h5py 3.7 on Debian bookworm) read it; HDF5 2.0's own default (1.8..2.0)
 * may use newer object formats, the interop problem of h5wasm issues #99 and #119. Like
 * h5py's default, an attribute cannot exceed 64 KiB (Keras splits longer lists itself).
 * Every HDF5 error becomes `KERAS_WRITE_FAILED`; `finish()` returns the bytes and removes the
 * file from MEMFS, `abort()` just removes it.
 */
export class H5FileWriter {
  private readonly module: H5Module;
  private readonly memfsPath: string;
  private fileId: bigint;
  private readonly groups = new Set<string>(['/']);
  private buffer: { pointer: number; size: number } | undefined;

  private constructor(module: H5Module, fileId: bigint, memfsPath: string) {
    this.module = module;
    this.fileId = fileId;
    this.memfsPath = memfsPath;
  }

  static create(module: H5Module): H5FileWriter {
    createCount = (createCount + 1) % Number.MAX_SAFE_INTEGER;
    const memfsPath = `/tmp/reprokit-write-${createCount}-${Math.random().toString(36).slice(2)}.h5`;
    const { value, hdf5Error } = withHdf5Errors(module, () =>
      module.open(
        memfsPath,
        module.H5F_ACC_TRUNC,
        false,
        module.H5F_LIBVER_EARLIEST,
        module.H5F_LIBVER_V110,
      ),
    );
    if (value < 0n || hdf5Error !== undefined) {
      try {
        module.FS.unlink(memfsPath);
      } catch {
        // never created
      }
      throw writeFailed('cannot create the HDF5 file', '/', hdf5Error);
    }
    return new H5FileWriter(module, value, memfsPath);
  }

  /** Creates `path` and any missing groups above it. */
  group(path: string): void {
    if (this.groups.has(path)) return;
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    this.group(parent);
    this.call(() => this.module.create_group(this.fileId, path, false), path);
    this.groups.add(path);
  }

  /**
   * A fixed-length ASCII string attribute (`|S<n>` to h5py and Keras, which read it as byte
   * strings): one string per element, or a scalar when `scalar`. Each element holds the
   * longest UTF-8 value plus a terminating zero byte.
   */
  stringsAttribute(path: string, name: string, values: readonly string[], scalar = false): void {
    const encoded = values.map((value) => new TextEncoder().encode(value));
    const size = Math.max(1, ...encoded.map((bytes) => bytes.length)) + 1;
    const data = new Uint8Array(size * Math.max(encoded.length, 1));
    for (const [index, bytes] of encoded.entries()) data.set(bytes, index * size);
    const shape = scalar ? [] : [BigInt(values.length)];
    this.withHeap(data, (pointer) =>
      this.call(
        () =>
          this.module.create_attribute(this.fileId, path, name, BigInt(pointer), {
            type: H5T_STRING,
            size,
            signed: false,
            vlen: false,
            littleEndian: true,
            cset: 0,
            shape,
            maxshape: shape,
            total_size: scalar ? 1 : values.length,
          } as never),
        path,
      ),
    );
  }

  /** An empty float64 array attribute: what h5py stores for `attrs[name] = []` (Keras' empty `weight_names`). */
  emptyListAttribute(path: string, name: string): void {
    this.withHeap(new Uint8Array(8), (pointer) =>
      this.call(
        () =>
          this.module.create_attribute(this.fileId, path, name, BigInt(pointer), {
            type: H5T_FLOAT,
            size: 8,
            signed: false,
            vlen: false,
            littleEndian: true,
            shape: [0n],
            maxshape: [0n],
            total_size: 0,
          } as never),
        path,
      ),
    );
  }

  /** A variable-length UTF-8 string scalar attribute (what h5py stores for a Python `str`). */
  textAttribute(path: string, name: string, value: string): void {
    this.call(
      () =>
        this.module.create_vlen_str_attribute(this.fileId, path, name, [value], {
          type: H5T_STRING,
          size: 4,
          signed: false,
          vlen: true,
          littleEndian: true,
          cset: 1,
          shape: [],
          maxshape: [],
          total_size: 1,
        } as never),
      path,
    );
  }

  /**
   * A contiguous dataset holding `data` (little-endian element bytes of `dtype`, row-major). The
   * data goes through the wasm heap in blocks of at most `blockBytes`: the dataset is created
   * without data (HDF5 refuses the write of a NULL buffer, which leaves the dataset allocated
   * later), then filled block by block with hyperslab writes.
   */
  dataset(
    path: string,
    dtype: Dtype,
    shape: readonly number[],
    data: Uint8Array,
    blockBytes: number,
    tensor?: string,
  ): void {
    const type = WRITABLE[dtype];
    if (type === undefined) {
      throw new KerasError({
        code: 'KERAS_INVALID_CHECKPOINT',
        message: `cannot store ${dtype} in HDF5 here`,
        tensor,
        h5Path: path,
      });
    }
    // Keras weight names hold slashes (`dense/kernel:0`): create the groups along the way.
    this.group(path.slice(0, path.lastIndexOf('/')) || '/');
    const dims = shape.map(BigInt);
    const total = shape.reduce((product, dim) => product * dim, 1);
    const created = withHdf5Errors(this.module, () =>
      this.module.create_dataset(this.fileId, path, 0n, {
        type: type.type,
        size: type.size,
        signed: type.signed,
        vlen: false,
        littleEndian: true,
        shape: dims,
        maxshape: dims,
        chunks: null,
        compression: 0,
        compression_opts: [],
        track_order: false,
        total_size: total,
      } as never),
    );
    if (
      created.hdf5Error !== undefined &&
      hdf5ErrorSummary(created.hdf5Error) !== 'no input buffer'
    ) {
      throw writeFailed('cannot create the dataset', path, created.hdf5Error, tensor);
    }
    if (total === 0) return;
    const itemSize = dtypeSize(dtype);
    if (shape.length === 0) {
      this.writeBlock(path, null, null, data, tensor);
      return;
    }
    for (const block of blocks(shape, itemSize, blockBytes)) {
      const part = data.subarray(block.byteOffset, block.byteOffset + block.byteLength);
      this.writeBlock(path, block.count, block.offset, part, tensor);
    }
  }

  /** Closes the file and returns its bytes; the MEMFS file is removed. */
  finish(): Uint8Array {
    this.releaseBuffer();
    const id = this.fileId;
    this.fileId = -1n;
    const closed = withHdf5Errors(this.module, () => this.module.close_file(id));
    if (closed.value < 0 || closed.hdf5Error !== undefined) {
      this.unlink();
      throw writeFailed('closing the HDF5 file failed', '/', closed.hdf5Error);
    }
    const fs = this.module.FS as unknown as {
      lookupPath(path: string): { node: { contents: Uint8Array | null; usedBytes: number } };
    };
    const { node } = fs.lookupPath(this.memfsPath);
    // MEMFS keeps the file in a growable buffer: take a view when little is wasted, else a copy.
    const contents = node.contents ?? new Uint8Array(0);
    const bytes =
      contents.length - node.usedBytes <= contents.length / 8
        ? contents.subarray(0, node.usedBytes)
        : contents.slice(0, node.usedBytes);
    this.unlink();
    return bytes;
  }

  /** Drops the file being written. Safe after `finish()`. */
  abort(): void {
    this.releaseBuffer();
    if (this.fileId >= 0n) {
      const id = this.fileId;
      this.fileId = -1n;
      try {
        withHdf5Errors(this.module, () => this.module.close_file(id));
      } catch {
        // nothing more to do
      }
    }
    this.unlink();
  }

  private writeBlock(
    path: string,
    count: number[] | null,
    offset: number[] | null,
    block: Uint8Array,
    tensor?: string,
  ): void {
    const pointer = this.heapBuffer(block.length);
    this.module.HEAPU8.set(block, pointer);
    const status = this.call(
      () =>
        this.module.set_dataset_data(
          this.fileId,
          path,
          count === null ? null : count.map(BigInt),
          offset === null ? null : offset.map(BigInt),
          count === null ? null : count.map(() => 1n),
          BigInt(pointer),
        ),
      path,
      tensor,
    );
    if (status < 0) throw writeFailed('writing the data failed', path, undefined, tensor);
  }

  private heapBuffer(size: number): number {
    if (this.buffer !== undefined && this.buffer.size >= size) return this.buffer.pointer;
    this.releaseBuffer();
    const pointer = this.module._malloc(Math.max(size, 64));
    if (pointer === 0) throw writeFailed(`the wasm heap cannot hold ${size} bytes`, '/', undefined);
    this.buffer = { pointer, size: Math.max(size, 64) };
    return pointer;
  }

  private releaseBuffer(): void {
    if (this.buffer !== undefined) this.module._free(this.buffer.pointer);
    this.buffer = undefined;
  }

  private withHeap<T>(data: Uint8Array, use: (pointer: number) => T): T {
    const pointer = this.module._malloc(Math.max(data.length, 8));
    if (pointer === 0)
      throw writeFailed(`the wasm heap cannot hold ${data.length} bytes`, '/', undefined);
    try {
      this.module.HEAPU8.set(data, pointer);
      return use(pointer);
    } finally {
      this.module._free(pointer);
    }
  }

  private call<T>(body: () => T, path: string, tensor?: string): T {
    if (this.fileId < 0n) throw writeFailed('the file is closed', path, undefined, tensor);
    let result: { value: T; hdf5Error: string | undefined };
    try {
      result = withHdf5Errors(this.module, body);
    } catch (error) {
      throw writeFailed(
        `h5wasm failed: ${error instanceof Error ? error.message : String(error)}`,
        path,
        (error as { hdf5Error?: string }).hdf5Error,
        tensor,
      );
    }
    if (result.hdf5Error !== undefined)
      throw writeFailed('HDF5 refused', path, result.hdf5Error, tensor);
    return result.value;
  }

  private unlink(): void {
    try {
      this.module.FS.unlink(this.memfsPath);
    } catch {
      // already gone
    }
  }
}

function writeFailed(
  message: string,
  path: string,
  stack: string | undefined,
  tensor?: string,
): KerasError {
  return new KerasError({
    code: 'KERAS_WRITE_FAILED',
    message: stack === undefined ? message : `${message}: ${hdf5ErrorSummary(stack)}`,
    h5Path: path,
    tensor,
    cause: stack,
  });
}
