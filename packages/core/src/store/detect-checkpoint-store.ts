import type { ByteSource } from '../source/byte-source.js';
import type { CheckpointStore, FormatProbe } from './checkpoint-store.js';
import { PROBE_BYTES } from './checkpoint-store.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';

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

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * What a file looks like from its first bytes, for error messages: `; it looks like ...`, or
 * nothing when nothing is recognised. Never decides a format: stores do.
 *
 * @example
 * describeContent({ name: 'x', size: 10, head: new TextEncoder().encode('PK\x03\x04') }); // '; it looks like a zip archive'
 */
export function describeContent(probe: FormatProbe): string {
  const { head, size } = probe;
  const startsWith = (bytes: readonly number[], at = 0) =>
    bytes.every((byte, index) => head[at + index] === byte);
  if (size === 0) return '; the file is empty';
  if (startsWith(HDF5_SIGNATURE)) return '; it looks like an HDF5 file (Keras .h5)';
  if (startsWith([0x50, 0x4b, 0x03, 0x04])) return '; it looks like a zip archive (.keras, .npz)';
  if (startsWith([0x80]) && (head[1] ?? 0) <= 5)
    return '; it looks like a Python pickle (PyTorch .pt/.bin)';
  if (looksLikeOnnx(head)) return '; it looks like an ONNX model (protobuf)';
  if (startsWith([0x1f, 0x8b])) return '; it looks like a gzip file';
  const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return '; it looks like a JSON file';
  if (text.startsWith('<')) return '; it looks like an HTML or XML page';
  return '';
}

/**
 * An ONNX ModelProto starts with field 1 (`ir_version`, a small varint: 0x08 then 1..12), and
 * almost always has `producer_name` (field 2, 0x12) or `opset_import` / `graph` soon after.
 */
export function looksLikeOnnx(head: Uint8Array): boolean {
  return (
    head[0] === 0x08 &&
    (head[1] ?? 0) >= 1 &&
    (head[1] ?? 0) <= 12 &&
    [0x12, 0x1a, 0x22, 0x3a, 0x42].includes(head[2] ?? 0)
  );
}
