import type { Checkpoint } from '@reprokit/core';
import type { OutputFormat } from './resolve-output-target.js';

/**
 * Metadata keys the output format cannot store. safetensors keeps everything; tfjs artifacts
 * and ONNX models keep only the tfjs fields (`tfjs.*`: they describe the tfjs model and, for
 * ONNX, are what an exported graph is made from); Keras files keep only their own (`keras.*`).
 * Convert reports the rest in a note rather than dropping them silently.
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
    case 'tfjs-artifacts':
    case 'onnx':
      return keys.filter((key) => !key.startsWith('tfjs.'));
    case 'keras':
      return keys.filter((key) => !key.startsWith('keras.'));
  }
}
