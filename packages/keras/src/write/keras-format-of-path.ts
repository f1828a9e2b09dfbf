import type { KerasWriteFormat } from './encode-keras.js';

/**
 * The format Keras would write for this file name: `.keras` -> `keras-zip`, `.weights.h5` ->
 * `keras3-weights-h5`, any other name -> `keras2-h5` (the legacy `save_weights('x.h5')`).
 *
 * @example
 * kerasFormatOfPath('model.weights.h5'); // 'keras3-weights-h5'
 */
export function kerasFormatOfPath(path: string): KerasWriteFormat {
  if (path.endsWith('.keras')) return 'keras-zip';
  if (path.endsWith('.weights.h5')) return 'keras3-weights-h5';
  return 'keras2-h5';
}
