import type { ByteSource } from '../source/byte-source.js';
import type { CheckpointStore, FormatProbe } from './checkpoint-store.js';
import { PROBE_BYTES } from './checkpoint-store.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';
import { describeContent } from './describe-content.js';

/**
 * The store that reads `entry`: the first of `stores` whose `detect` accepts the file's name
 * and first bytes. None does: `STORE_UNKNOWN_FORMAT`, naming the format the bytes look like
 * when it is a known one (ONNX, HDF5, zip, JSON, ...), and the formats that were tried.
 *
 * @example
 * const store = await detectCheckpointStore(source, [safetensorsStore(), onnxStore()]);
 */
export async function detectCheckpointStore<S extends CheckpointStore<never>>(
  entry: ByteSource,
  stores: readonly S[],
): Promise<S> {
  const probe = await probeOf(entry);
  for (const store of stores) if (store.detect(probe)) return store;
  throw new CheckpointStoreError({
    code: 'STORE_UNKNOWN_FORMAT',
    message: `not a checkpoint format reprokit was given a store for (tried: ${
      stores.map((store) => store.format).join(', ') || 'none'
    })${describeContent(probe)}`,
    file: entry.name,
  });
}

/** The name, size and first bytes of a source, as `detect` sees them. */
export async function probeOf(entry: ByteSource): Promise<FormatProbe> {
  const head = await entry.read(0, Math.min(entry.size, PROBE_BYTES));
  return { name: lastSegment(entry.name), size: entry.size, head };
}

function lastSegment(name: string): string {
  const clean = name.replace(/[?#].*$/, '');
  return clean.slice(Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\')) + 1);
}
