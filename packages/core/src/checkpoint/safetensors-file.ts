import type { ByteSource } from '../source/byte-source.js';
import { ByteSourceError } from '../source/byte-source-error.js';
import { openByteSource, type SourceInput } from '../source/open-byte-source.js';
import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { closestNames } from './did-you-mean.js';
import { SafetensorsError } from './safetensors-error.js';
import {
  parseSafetensorsHeader,
  readHeaderLength,
  type SafetensorsHeader,
} from './safetensors-header.js';

/** An open safetensors file: the header is parsed, tensors are read on demand. */
export interface SafetensorsFile {
  /** The source's name: a path, a URL, a File's name, `<bytes>`. */
  readonly name: string;
  /** The validated header (tensors in data order, offsets relative to `dataStart`). */
  readonly header: SafetensorsHeader;
  /** Tensor names in data order. */
  names(): string[];
  /** Read one tensor's bytes with one ranged read. */
  readTensor(name: string, options?: { signal?: AbortSignal }): Promise<CheckpointTensor>;
  /**
   * Read every tensor with one read of the whole file into one buffer; the tensors are views
   * of it (aligned as the writer aligned them).
   */
  readAll(options?: { signal?: AbortSignal }): Promise<Checkpoint>;
  /** Close the source. Further reads throw SAFETENSORS_FILE_CLOSED. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Open a safetensors file lazily: reads the 8-byte prefix and the header only, validates the
 * header against the file's size (so a 10 GB file is inspected after reading a few KB), then
 * reads one tensor at a time. Takes bytes, a `Blob`/`File` or any `ByteSource`; the file owns the
 * source from then on, and closing the file closes it. In Node, `openSafetensors` of
 * `@reprokit/core/node` also takes a path.
 *
 * @example
 * const file = await openSafetensors(droppedFile);
 * try {
 *   console.log(file.names());
 *   const kernel = await file.readTensor('dense/kernel');
 * } finally {
 *   await file.close();
 * }
 */
export async function openSafetensors(input: SourceInput): Promise<SafetensorsFile> {
  const source = await openByteSource(input);
  try {
    const header = await readSafetensorsHeaderFrom(source);
    return safetensorsFile(source, header);
  } catch (error) {
    await source.close().catch(() => undefined);
    throw error;
  }
}

/** Read and validate the header of a safetensors file from its source. */
export async function readSafetensorsHeaderFrom(source: ByteSource): Promise<SafetensorsHeader> {
  refuseShardedIndex(source.name);
  const { size } = source;
  const prefix = await readRange(source, 0, Math.min(8, size));
  const headerLength = readHeaderLength(prefix, size, source.name);
  const headerBytes = new Uint8Array(8 + headerLength);
  headerBytes.set(prefix, 0);
  await readRange(source, 8, headerLength, undefined, headerBytes.subarray(8));
  return parseSafetensorsHeader(headerBytes, { file: source.name, fileSize: size });
}

/** Sharded indexes are not safetensors files: say how to read them instead. */
export function refuseShardedIndex(name: string): void {
  if (name.endsWith('.index.json')) {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_OPTION',
      message:
        'this is the index of a sharded checkpoint, not a safetensors file; read it with readSafetensors(indexPath) of @reprokit/core/node, or readCheckpoint',
      file: name,
    });
  }
}

function safetensorsFile(source: ByteSource, header: SafetensorsHeader): SafetensorsFile {
  let closed = false;
  const ensureOpen = (tensor?: string) => {
    if (closed) {
      throw new SafetensorsError({
        code: 'SAFETENSORS_FILE_CLOSED',
        message: 'the file was closed',
        file: source.name,
        ...(tensor === undefined ? {} : { tensor }),
      });
    }
  };
  return {
    name: source.name,
    header,
    names: () => [...header.tensors.keys()],
    async readTensor(name, options) {
      const info = header.tensors.get(name);
      if (info === undefined) {
        const suggestions = closestNames(name, header.tensors.keys());
        throw new SafetensorsError({
          code: 'SAFETENSORS_TENSOR_NOT_FOUND',
          message: `no tensor named ${JSON.stringify(name)}${
            suggestions.length > 0
              ? ` (did you mean ${suggestions.map((s) => JSON.stringify(s)).join(', ')}?)`
              : ''
          }`,
          file: source.name,
          tensor: name,
        });
      }
      ensureOpen(name);
      const data = await readRange(
        source,
        header.dataStart + info.begin,
        info.end - info.begin,
        name,
        undefined,
        options?.signal,
      );
      return { dtype: info.dtype, shape: info.shape, data };
    },
    async readAll(options) {
      ensureOpen();
      // One buffer for the whole file: tensors become aligned views and nothing is copied twice.
      const bytes = new Uint8Array(source.size);
      await readRange(source, 0, source.size, undefined, bytes, options?.signal);
      const tensors = new Map<string, CheckpointTensor>();
      for (const [name, info] of header.tensors) {
        const data = bytes.subarray(header.dataStart + info.begin, header.dataStart + info.end);
        tensors.set(name, { dtype: info.dtype, shape: info.shape, data });
      }
      return { tensors, metadata: new Map(header.metadata) };
    },
    async close() {
      closed = true;
      await source.close();
    },
  };
}

/**
 * One ranged read, with the source's errors in safetensors' terms: a file that ended early is
 * SAFETENSORS_DATA_TRUNCATED, a closed one SAFETENSORS_FILE_CLOSED, anything else SAFETENSORS_IO
 * (the source's error is the cause).
 */
async function readRange(
  source: ByteSource,
  offset: number,
  length: number,
  tensor?: string,
  into?: Uint8Array,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  try {
    return await source.read(offset, length, {
      ...(into === undefined ? {} : { into }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (cause) {
    if (!ByteSourceError.isInstance(cause)) throw cause;
    const code =
      cause.code === 'SOURCE_TRUNCATED'
        ? 'SAFETENSORS_DATA_TRUNCATED'
        : cause.code === 'SOURCE_CLOSED'
          ? 'SAFETENSORS_FILE_CLOSED'
          : 'SAFETENSORS_IO';
    throw new SafetensorsError({
      code,
      message: cause.detail,
      file: source.name,
      byteOffset: cause.byteOffset ?? offset,
      ...(tensor === undefined ? {} : { tensor }),
      cause,
    });
  }
}
