import type { Checkpoint } from '@reprokit/core';
import type { OutputFormat } from './resolve-output-target.js';

/** tfjs `model.json` fields reprokit keeps in checkpoint metadata under these keys. */
const TFJS_KEPT_PREFIX = 'tfjs.';

/**
 * Metadata keys the output format cannot store: tfjs artifacts and ONNX models keep no
 * metadata of their own beyond the tfjs fields (`tfjs.*` keys, which describe the tfjs
 * model and, for ONNX, are what the exported graph is made from); safetensors keeps
 * everything. Convert reports the rest in a note rather than dropping them silently.
 *
 * @example
 * droppedMetadataKeys(checkpoint, 'onnx'); // ['producer']
 */
export function droppedMetadataKeys(checkpoint: Checkpoint, format: OutputFormat): string[] {
  const keys = [...checkpoint.metadata.keys()];
  switch (format) {
    case 'safetensors':
    case 'safetensors-sharded':
      return [];
    case 'tfjs':
    case 'onnx':
      return keys.filter((key) => !key.startsWith(TFJS_KEPT_PREFIX));
  }
}
