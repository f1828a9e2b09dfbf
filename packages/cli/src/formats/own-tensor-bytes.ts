import { type Checkpoint, type CheckpointTensor, createCheckpoint } from '@reprokit/core';

/**
 * Give every tensor plain, 8-byte-aligned `Uint8Array` data. Readers may return Node `Buffer`
 * slices of a file at odd offsets (ONNX `raw_data`); such views alias the file buffer, and
 * `Buffer#slice` shares memory where `Uint8Array#slice` copies, a trap for code that copies
 * with `.slice()` to align. One copy here, only for such tensors, keeps every later step
 * (typed-array views, mapping transposes, casts) on plain owned bytes.
 *
 * @example
 * const safe = ownTensorBytes(await readOnnxCheckpoint('model.onnx'));
 */
export function ownTensorBytes(checkpoint: Checkpoint): Checkpoint {
  let changed = false;
  const entries: [string, CheckpointTensor][] = [];
  for (const [name, tensor] of checkpoint.tensors) {
    const { data } = tensor;
    if (Object.getPrototypeOf(data) === Uint8Array.prototype && data.byteOffset % 8 === 0) {
      entries.push([name, tensor]);
    } else {
      changed = true;
      const copy = new Uint8Array(data.byteLength);
      copy.set(data);
      entries.push([name, { dtype: tensor.dtype, shape: tensor.shape, data: copy }]);
    }
  }
  return changed ? createCheckpoint(entries, checkpoint.metadata) : checkpoint;
}
