import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { planSafetensors } from '../checkpoint/safetensors-encode.js';
import { openSafetensors, readSafetensorsHeaderFrom } from '../checkpoint/safetensors-file.js';
import type { SafetensorsHeader } from '../checkpoint/safetensors-header.js';
import { borrowSource } from '../source/borrow-source.js';
import type { ByteSource } from '../source/byte-source.js';
import type { CheckpointStore, CheckpointSummary, TensorSummary } from './checkpoint-store.js';

/**
 * The store of single safetensors files (`model.safetensors`).
 *
 * - detect: the first 8 bytes are a little-endian header length that fits the file, followed by `{`.
 * - inspect: reads the 8-byte prefix and the header, nothing else.
 * - read: one read of the whole file; tensors are views of that one buffer.
 * - encode: the file in the deterministic layout of `encodeSafetensors`, header then each
 *   tensor's bytes (no copy of the weights).
 *
 * @example
 * const checkpoint = await safetensorsStore().read(bytesFiles({ 'a.safetensors': bytes }, 'a.safetensors'));
 */
export function safetensorsStore(): CheckpointStore {
  return {
    specificationVersion: 'v1',
    format: 'safetensors',
    extensions: ['.safetensors'],
    detect: ({ head, size }) => looksLikeSafetensors(head, size),
    async inspect(files) {
      const header = await readSafetensorsHeaderFrom(files.entry);
      return summarizeSafetensors('safetensors', header, [files.entry.name]);
    },
    async read(files, options) {
      return readWholeSafetensors(files.entry, options?.signal);
    },
    async encode(checkpoint) {
      // Planning validates every tensor and name: a bad checkpoint fails before any file exists.
      const layout = planSafetensors(checkpoint);
      return {
        dataFiles: [],
        entry: () => ({
          name: '',
          chunks: [layout.prefix, ...layout.tensors.map((planned) => planned.tensor.data)],
        }),
      };
    },
  };
}

/** A safetensors file starts with a little-endian u64 header length that fits the file, then `{`. */
export function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9 || size < 10) return false;
  const headerLength = new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true);
  return head[8] === 0x7b && headerLength > 0n && headerLength <= BigInt(size - 8);
}

/** Every tensor of one safetensors source, read in one piece; the source stays open. */
export async function readWholeSafetensors(
  source: ByteSource,
  signal?: AbortSignal,
): Promise<Checkpoint> {
  const file = await openSafetensors(borrowSource(source));
  const checkpoint = await file.readAll(signal === undefined ? {} : { signal });
  await file.close();
  return checkpoint;
}

/** The summary of one or more safetensors headers' tensors. */
export function summarizeSafetensors(
  format: string,
  header: SafetensorsHeader,
  files: readonly string[],
): CheckpointSummary {
  return { format, tensors: tensorSummaries(header), metadata: header.metadata, files };
}

export function tensorSummaries(header: SafetensorsHeader): TensorSummary[] {
  const tensors: TensorSummary[] = [];
  for (const [name, info] of header.tensors) {
    tensors.push({ name, dtype: info.dtype, shape: info.shape, byteLength: info.end - info.begin });
  }
  return tensors;
}
