// ModelProto field tags (field number << 3 | wire type): ir_version (1, varint), producer_name
// (2), producer_version (3), domain (4), model_version (5, varint), doc_string (6), graph (7),
// opset_import (8), metadata_props (14).
const MODEL_TAGS = new Set([0x08, 0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72]);

/**
 * Whether a file looks like an ONNX model (a protobuf `ModelProto`) from its name and first
 * bytes. Exporters write `ir_version` first (a small varint: 0x08, then 3 to 12), followed by
 * another model field; a file named `*.onnx` only needs to start with a model field.
 *
 * @example
 * looksLikeOnnxModel('model.onnx', bytes.subarray(0, 64)); // true
 */
export function looksLikeOnnxModel(name: string, head: Uint8Array): boolean {
  const irVersionFirst =
    head[0] === 0x08 &&
    (head[1] ?? 0) >= 1 &&
    (head[1] ?? 0) <= 12 &&
    MODEL_TAGS.has(head[2] ?? 0) &&
    head[2] !== 0x08;
  if (irVersionFirst) return true;
  return /\.onnx$/i.test(name) && MODEL_TAGS.has(head[0] ?? -1);
}
