import type { FormatProbe } from './checkpoint-store.js';

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
