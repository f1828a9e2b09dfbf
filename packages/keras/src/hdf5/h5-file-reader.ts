import { KerasError, type KerasErrorCode } from '../errors/keras-error.js';
import { blocks } from './block-plan.js';
import { guardGlobalHeaps, type ReadLog } from './global-heap-guard.js';
import { hdf5ErrorSummary, withHdf5Errors } from './h5-error-capture.js';
import type { H5Module } from './h5-module.js';

/** HDF5 type and shape of a dataset or attribute, as h5wasm reports them. */
export interface H5Metadata {
  /** HDF5 type class: 0 integer, 1 float, 3 string, 5 opaque, 6 compound, 8 enum, 9 vlen, 10 array. */
  readonly type: number;
  /** Bytes per element (for variable-length strings: the pointer size). */
  readonly size: number;
  readonly signed: boolean;
  readonly vlen: boolean;
  readonly littleEndian: boolean;
  /** `null` for an HDF5 null dataspace. */
  readonly shape: number[] | null;
  readonly total_size: number;
  readonly chunks: number[] | null;
  readonly cset?: number;
  readonly strpad?: number;
  readonly enum_type?: { members: Record<string, number>; type: number; nmembers: number };
  readonly virtual_sources?: unknown[];
}

export const H5T_INTEGER = 0;
export const H5T_FLOAT = 1;
export const H5T_STRING = 3;
export const H5T_OPAQUE = 5;
export const H5T_ENUM = 8;

/** What a link in a group points at. Soft and external links are reported, never followed. */
export type H5LinkKind =
  | 'group'
  | 'dataset'
  | 'datatype'
  | 'soft-link'
  | 'external-link'
  | 'missing';

/** Where an error happened, for the `KerasError` it becomes. */
export interface H5ErrorContext {
  readonly layer?: string | undefined;
  readonly tensor?: string | undefined;
}

export interface H5FileReaderOptions {
  /** The file's name in errors. */
  readonly fileName: string;
  /** Largest attribute read, in bytes. */
  readonly maxAttributeBytes: number;
}

let openCount = 0;

/**
 * One HDF5 file opened read-only from bytes, through h5wasm's in-memory file system. The bytes
 * are handed to MEMFS without a copy (`canOwn`); HDF5 only reads them. Every call that fails
 * becomes a `KerasError` naming the file and the HDF5 object; `close()` closes the HDF5 file and
 * unlinks it from MEMFS, so nothing stays in the wasm heap or the file system.
 */
export class H5FileReader {
  readonly fileName: string;
  readonly size: number;
  private readonly module: H5Module;
  private readonly memfsPath: string;
  private readonly maxAttributeBytes: number;
  private fileId: bigint;
  private buffer: { pointer: number; size: number } | undefined;

  private readonly bytes: Uint8Array;
  private readonly log: ReadLog;

  private constructor(
    module: H5Module,
    fileId: bigint,
    memfsPath: string,
    bytes: Uint8Array,
    log: ReadLog,
    options: H5FileReaderOptions,
  ) {
    this.module = module;
    this.fileId = fileId;
    this.memfsPath = memfsPath;
    this.bytes = bytes;
    this.log = log;
    this.size = bytes.length;
    this.fileName = options.fileName;
    this.maxAttributeBytes = options.maxAttributeBytes;
  }

  /**
   * Opens `bytes` as an HDF5 file. Throws `KERAS_TRUNCATED` when HDF5 finds the file shorter
   * than its superblock says, `KERAS_INVALID_HDF5` for any other refusal.
   */
  static open(module: H5Module, bytes: Uint8Array, options: H5FileReaderOptions): H5FileReader {
    openCount = (openCount + 1) % Number.MAX_SAFE_INTEGER;
    const memfsPath = `/tmp/reprokit-read-${openCount}-${Math.random().toString(36).slice(2)}.h5`;
    module.FS.writeFile(memfsPath, bytes, { canOwn: true } as never);
    const log = guardGlobalHeaps(module, memfsPath, bytes);
    let result: { value: bigint; hdf5Error: string | undefined };
    try {
      result = withHdf5Errors(module, () =>
        module.open(memfsPath, module.H5F_ACC_RDONLY, false, -1, -1),
      );
    } catch (error) {
      unlinkQuietly(module, memfsPath);
      throw openError(options.fileName, error, (error as { hdf5Error?: string }).hdf5Error);
    }
    if (result.value < 0n) {
      unlinkQuietly(module, memfsPath);
      throw openError(options.fileName, undefined, result.hdf5Error);
    }
    return new H5FileReader(module, result.value, memfsPath, bytes, log, options);
  }

  /** Closes the HDF5 file, frees the read buffer and removes the file from MEMFS. Safe twice. */
  close(): void {
    if (this.buffer !== undefined) {
      this.module._free(this.buffer.pointer);
      this.buffer = undefined;
    }
    if (this.fileId >= 0n) {
      const id = this.fileId;
      this.fileId = -1n;
      try {
        withHdf5Errors(this.module, () => this.module.close_file(id));
      } catch {
        // The file is unusable either way; the MEMFS entry still goes.
      }
    }
    unlinkQuietly(this.module, this.memfsPath);
  }

  /** What `path` (absolute, `/`-separated) is, without following soft or external links. */
  kind(path: string, context: H5ErrorContext = {}): H5LinkKind {
    if (path === '/') return 'group';
    const type = this.call(() => this.module.get_type(this.fileId, path), path, context);
    if (type < 0) return 'missing';
    if (type === this.module.H5G_LINK) return 'soft-link';
    if (type === this.module.H5G_UDLINK) return 'external-link';
    // get_type follows a soft link that resolves: ask about the link itself.
    const target = this.call(
      () => this.module.get_symbolic_link(this.fileId, path) as unknown,
      path,
      context,
    );
    if (typeof target === 'string') return 'soft-link';
    if (type === this.module.H5G_GROUP) return 'group';
    if (type === this.module.H5G_DATASET) return 'dataset';
    return 'datatype';
  }

  /** Names of the links in a group, in HDF5's iteration order (by name, or creation order when tracked). */
  children(path: string, context: H5ErrorContext = {}): string[] {
    return this.call(() => this.module.get_names(this.fileId, path, false), path, context);
  }

  attributeNames(path: string, context: H5ErrorContext = {}): string[] {
    return this.call(() => this.module.get_attribute_names(this.fileId, path), path, context);
  }

  attributeInfo(path: string, name: string, context: H5ErrorContext = {}): H5Metadata {
    return this.call(
      () => this.module.get_attribute_metadata(this.fileId, path, name) as unknown as H5Metadata,
      path,
      context,
    );
  }

  /**
   * An attribute's value: strings (fixed or variable length) as `string[]` (one per element; a
   * scalar gives one), numbers as a `number[]`. Anything else, or more than
   * `maxAttributeBytes`, throws.
   */
  readAttribute(
    path: string,
    name: string,
    context: H5ErrorContext = {},
  ): { info: H5Metadata; strings?: string[]; numbers?: number[] } {
    const info = this.attributeInfo(path, name, context);
    if (info.shape === null) return { info, strings: [] };
    const bytes = info.size * info.total_size;
    if (!Number.isSafeInteger(bytes) || bytes > this.maxAttributeBytes) {
      throw this.error(
        'KERAS_ATTRIBUTE_TOO_LARGE',
        `attribute "${name}" holds ${bytes} bytes, more than the ${this.maxAttributeBytes} allowed (option maxAttributeBytes)`,
        path,
        context,
      );
    }
    if (info.type === H5T_STRING) {
      return { info, strings: this.readStrings(path, name, info, bytes, context) };
    }
    if (info.type === H5T_INTEGER || info.type === H5T_FLOAT) {
      const raw = this.readAttributeBytes(path, name, bytes, context);
      return { info, numbers: decodeNumbers(raw, info) };
    }
    throw this.error(
      'KERAS_INVALID_ATTRIBUTE',
      `attribute "${name}" has HDF5 type class ${info.type}, not strings or numbers`,
      path,
      context,
    );
  }

  datasetInfo(path: string, context: H5ErrorContext = {}): H5Metadata {
    return this.call(
      () => this.module.get_dataset_metadata(this.fileId, path) as unknown as H5Metadata,
      path,
      context,
    );
  }

  /**
   * Reads a whole dataset into `into` (little-endian element bytes, row-major), in blocks of at
   * most `blockBytes`, so the wasm heap holds one block, never the whole tensor.
   */
  readDataset(
    path: string,
    info: H5Metadata,
    into: Uint8Array,
    blockBytes: number,
    context: H5ErrorContext = {},
  ): void {
    const shape = info.shape ?? [];
    if (into.length === 0) return;
    if (shape.length === 0) {
      this.readBlock(path, null, null, into, context);
      return;
    }
    for (const block of blocks(shape, info.size, blockBytes)) {
      const part = into.subarray(block.byteOffset, block.byteOffset + block.byteLength);
      this.readBlock(path, block.count, block.offset, part, context);
    }
  }

  /**
   * Where a dataset's elements sit in the file, when HDF5 stores them as they are: one
   * contiguous run of little-endian elements (h5py's default layout for weights). Found by
   * watching where HDF5 reads its first and last element, and checked against what HDF5
   * returns; `undefined` for chunked, compact, external, unallocated or converted data, which
   * must go through `readDataset`. Lets `readKeras` take weights straight from the file's bytes.
   */
  locateContiguous(
    path: string,
    info: H5Metadata,
    context: H5ErrorContext = {},
  ): number | undefined {
    const shape = info.shape ?? [];
    const count = shape.reduce((product, dim) => product * dim, 1);
    if (info.chunks !== null || count === 0 || info.vlen || info.type === H5T_STRING)
      return undefined;
    if (!info.littleEndian && info.size > 1) return undefined;
    const first = this.probeElement(
      path,
      shape.map(() => 0),
      info.size,
      context,
    );
    if (first === undefined) return undefined;
    const bytes = count * info.size;
    if (first.position + bytes > this.bytes.length) return undefined;
    if (count > 1) {
      const last = this.probeElement(
        path,
        shape.map((dim) => dim - 1),
        info.size,
        context,
      );
      if (last === undefined || last.position !== first.position + bytes - info.size)
        return undefined;
      // And the first elements of the first row, read by HDF5, are the bytes found there.
      const run = Math.min(shape.at(-1)!, 16);
      const check = new Uint8Array(run * info.size);
      this.readBlock(
        path,
        [...shape.slice(0, -1).map(() => 1), run],
        shape.map(() => 0),
        check,
        context,
      );
      for (let at = 0; at < check.length; at++) {
        if (check[at] !== this.bytes[first.position + at]) return undefined;
      }
    }
    return first.position;
  }

  /** A view of the file's own bytes (no copy). */
  fileBytes(position: number, length: number): Uint8Array {
    return this.bytes.subarray(position, position + length);
  }

  /** Reads one element and reports the single file read HDF5 made for it, if it matches. */
  private probeElement(
    path: string,
    index: number[],
    itemSize: number,
    context: H5ErrorContext,
  ): { position: number } | undefined {
    const pointer = this.heapBuffer(itemSize, path, context);
    this.log.reads = [];
    let reads: Array<{ position: number; length: number }>;
    try {
      const status = this.call(
        () =>
          this.module.get_dataset_data(
            this.fileId,
            path,
            index.length === 0 ? null : index.map(() => 1n),
            index.length === 0 ? null : index.map(BigInt),
            index.length === 0 ? null : index.map(() => 1n),
            BigInt(pointer),
          ),
        path,
        context,
        'KERAS_READ_FAILED',
      );
      if (status < 0) return undefined;
    } finally {
      reads = this.log.reads;
      this.log.reads = undefined;
    }
    // HDF5 may load metadata first; the data read is the last one.
    const read = reads.at(-1);
    if (read === undefined || read.length < itemSize) return undefined;
    const { position } = read;
    const element = this.module.HEAPU8.subarray(pointer, pointer + itemSize);
    for (let at = 0; at < itemSize; at++) {
      if (element[at] !== this.bytes[position + at]) return undefined;
    }
    return { position };
  }

  private readBlock(
    path: string,
    count: number[] | null,
    offset: number[] | null,
    into: Uint8Array,
    context: H5ErrorContext,
  ): void {
    const pointer = this.heapBuffer(into.length, path, context);
    const status = this.call(
      () =>
        this.module.get_dataset_data(
          this.fileId,
          path,
          count === null ? null : count.map(BigInt),
          offset === null ? null : offset.map(BigInt),
          count === null ? null : count.map(() => 1n),
          BigInt(pointer),
        ),
      path,
      context,
      'KERAS_READ_FAILED',
    );
    if (status < 0) {
      throw this.error('KERAS_READ_FAILED', 'HDF5 could not read the data', path, context);
    }
    into.set(this.module.HEAPU8.subarray(pointer, pointer + into.length));
  }

  private heapBuffer(size: number, path: string, context: H5ErrorContext): number {
    if (this.buffer !== undefined && this.buffer.size >= size) return this.buffer.pointer;
    if (this.buffer !== undefined) this.module._free(this.buffer.pointer);
    this.buffer = undefined;
    const pointer = this.module._malloc(Math.max(size, 64));
    if (pointer === 0) {
      throw this.error(
        'KERAS_DATASET_TOO_LARGE',
        `the wasm heap cannot hold ${size} bytes`,
        path,
        context,
      );
    }
    this.buffer = { pointer, size: Math.max(size, 64) };
    return pointer;
  }

  private readAttributeBytes(
    path: string,
    name: string,
    bytes: number,
    context: H5ErrorContext,
  ): Uint8Array {
    const pointer = this.module._malloc(Math.max(bytes, 8));
    if (pointer === 0) {
      throw this.error(
        'KERAS_ATTRIBUTE_TOO_LARGE',
        `attribute "${name}" does not fit the wasm heap`,
        path,
        context,
      );
    }
    try {
      const status = this.call(
        () => this.module.get_attribute_data(this.fileId, path, name, BigInt(pointer)),
        path,
        context,
      );
      if (status < 0) {
        throw this.error('KERAS_INVALID_HDF5', `attribute "${name}" cannot be read`, path, context);
      }
      return this.module.HEAPU8.slice(pointer, pointer + bytes);
    } finally {
      this.module._free(pointer);
    }
  }

  private readStrings(
    path: string,
    name: string,
    info: H5Metadata,
    bytes: number,
    context: H5ErrorContext,
  ): string[] {
    const decoder = new TextDecoder('utf-8');
    if (!info.vlen) {
      const raw = this.readAttributeBytes(path, name, bytes, context);
      const out: string[] = [];
      for (let at = 0; at < raw.length; at += info.size) {
        let end = at + info.size;
        const nul = raw.subarray(at, end).indexOf(0);
        if (nul >= 0) end = at + nul;
        // Space-padded (Fortran) strings: HDF5 pads with spaces, which are not part of the value.
        else if (info.strpad === 2) while (end > at && raw[end - 1] === 0x20) end--;
        out.push(decoder.decode(raw.subarray(at, end)));
      }
      return out;
    }
    // Variable-length: the attribute holds pointers to strings HDF5 allocated in the heap.
    const pointer = this.module._malloc(Math.max(bytes, 8));
    if (pointer === 0) {
      throw this.error(
        'KERAS_ATTRIBUTE_TOO_LARGE',
        `attribute "${name}" does not fit the wasm heap`,
        path,
        context,
      );
    }
    let read = false;
    try {
      const status = this.call(
        () => this.module.get_attribute_data(this.fileId, path, name, BigInt(pointer)),
        path,
        context,
      );
      if (status < 0) {
        throw this.error('KERAS_INVALID_HDF5', `attribute "${name}" cannot be read`, path, context);
      }
      read = true;
      const heap = this.module.HEAPU8;
      const pointers = new Uint32Array(heap.buffer, pointer, info.total_size).slice();
      let total = 0;
      return [...pointers].map((stringPointer) => {
        if (stringPointer === 0) return '';
        let end = stringPointer;
        while (end < heap.length && heap[end] !== 0) end++;
        total += end - stringPointer;
        if (total > this.maxAttributeBytes) {
          throw this.error(
            'KERAS_ATTRIBUTE_TOO_LARGE',
            `attribute "${name}" holds more than the ${this.maxAttributeBytes} bytes allowed (option maxAttributeBytes)`,
            path,
            context,
          );
        }
        return decoder.decode(heap.subarray(stringPointer, end));
      });
    } finally {
      if (read) {
        try {
          withHdf5Errors(this.module, () =>
            this.module.reclaim_vlen_memory(this.fileId, path, name, BigInt(pointer)),
          );
        } catch {
          // Reclaiming can only fail on a file that is already refused.
        }
      }
      this.module._free(pointer);
    }
  }

  /** Runs an h5wasm call; an exception or an HDF5 error stack becomes a `KerasError`. */
  private call<T>(
    body: () => T,
    path: string,
    context: H5ErrorContext,
    code: KerasErrorCode = 'KERAS_INVALID_HDF5',
  ): T {
    if (this.fileId < 0n) {
      throw this.error(code, 'the file was closed', path, context);
    }
    let result: { value: T; hdf5Error: string | undefined };
    try {
      result = withHdf5Errors(this.module, body);
    } catch (error) {
      const stack = (error as { hdf5Error?: string }).hdf5Error;
      throw this.error(
        code,
        stack !== undefined
          ? `HDF5 refused: ${hdf5ErrorSummary(stack)}`
          : `HDF5 failed: ${error instanceof Error ? error.message : String(error)}`,
        path,
        context,
        error,
      );
    }
    if (result.hdf5Error !== undefined) {
      throw this.error(
        classify(result.hdf5Error, code),
        `HDF5 refused: ${hdf5ErrorSummary(result.hdf5Error)}`,
        path,
        context,
        result.hdf5Error,
      );
    }
    return result.value;
  }

  error(
    code: KerasErrorCode,
    message: string,
    h5Path: string | undefined,
    context: H5ErrorContext = {},
    cause?: unknown,
  ): KerasError {
    return new KerasError({
      code,
      message,
      file: this.fileName,
      h5Path,
      layer: context.layer,
      tensor: context.tensor,
      cause,
    });
  }
}

function classify(stack: string, fallback: KerasErrorCode): KerasErrorCode {
  if (/truncated file|addr overflow|address .* beyond|eoa|EOF/i.test(stack))
    return 'KERAS_TRUNCATED';
  return fallback;
}

function openError(fileName: string, cause: unknown, stack: string | undefined): KerasError {
  const summary = stack === undefined ? String(cause) : hdf5ErrorSummary(stack);
  if (stack !== undefined && /truncated file/i.test(stack)) {
    return new KerasError({
      code: 'KERAS_TRUNCATED',
      message: `the file is shorter than its HDF5 superblock says (${summary})`,
      file: fileName,
      cause: stack,
    });
  }
  return new KerasError({
    code: 'KERAS_INVALID_HDF5',
    message: `HDF5 cannot open the file: ${summary}`,
    file: fileName,
    cause: cause ?? stack,
  });
}

function unlinkQuietly(module: H5Module, path: string): void {
  try {
    module.FS.unlink(path);
  } catch {
    // Already gone.
  }
}

function decodeNumbers(raw: Uint8Array, info: H5Metadata): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let at = 0; at + info.size <= raw.length; at += info.size) {
    if (info.type === H5T_FLOAT) {
      out.push(
        info.size === 8
          ? view.getFloat64(at, true)
          : info.size === 4
            ? view.getFloat32(at, true)
            : Number.NaN,
      );
    } else if (info.size === 8) {
      out.push(Number(info.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true)));
    } else if (info.size === 4) {
      out.push(info.signed ? view.getInt32(at, true) : view.getUint32(at, true));
    } else if (info.size === 2) {
      out.push(info.signed ? view.getInt16(at, true) : view.getUint16(at, true));
    } else if (info.size === 1) {
      out.push(info.signed ? view.getInt8(at) : view.getUint8(at));
    } else {
      out.push(Number.NaN);
    }
  }
  return out;
}
