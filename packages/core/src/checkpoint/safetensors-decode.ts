import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { parseSafetensorsHeader } from './safetensors-header.js';

export interface DecodeSafetensorsOptions {
  /** File name for error messages (`<bytes>` by default). */
  file?: string;
  /**
   * `false` (default): tensor `data` are views into `bytes` (no copy; they alias the input,
   * so changing one changes the other). `true`: each tensor gets its own copy.
   */
  copy?: boolean;
}

/**
 * Decode safetensors bytes into a checkpoint, synchronously, after validating the whole
 * header (see `parseSafetensorsHeader`). Tensors come in data order. Without `copy`, each
 * tensor's data is a zero-copy `subarray` of `bytes`, aligned to its element size when the
 * file was written with widest dtypes first (reprokit and the Python library both do).
 *
 * @example
 * const checkpoint = decodeSafetensors(bytes, { file: 'model.safetensors' });
 * checkpoint.tensors.get('dense/kernel')?.shape; // [3, 2]
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  options: DecodeSafetensorsOptions = {},
): Checkpoint {
  const header = parseSafetensorsHeader(
    bytes,
    options.file === undefined ? {} : { file: options.file },
  );
  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, info] of header.tensors) {
    const start = header.dataStart + info.begin;
    const end = header.dataStart + info.end;
    const data = options.copy === true ? bytes.slice(start, end) : bytes.subarray(start, end);
    tensors.set(name, { dtype: info.dtype, shape: info.shape, data });
  }
  return { tensors, metadata: header.metadata };
}
