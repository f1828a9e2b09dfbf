import { type Checkpoint, type WriteFileAtomicOptions, writeFileAtomic } from '@reprokit/core';
import {
  type EncodeKerasOptions,
  encodeKeras,
  type KerasWriteFormat,
} from '../write/encode-keras.js';

export interface WriteKerasWeightsFileOptions
  extends Omit<EncodeKerasOptions, 'format'>,
    Pick<WriteFileAtomicOptions, 'overwrite'> {
  /** Default: from the file name, as Keras decides (`kerasFormatOfPath`). */
  format?: KerasWriteFormat;
}

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

/**
 * Writes a checkpoint as a Keras weights file, crash-safe: the bytes go to a temporary file in
 * the same folder, are fsynced and renamed over `path` (`writeFileAtomic`), so a reader sees the
 * old file or the complete new one, never a part. The format follows the file name unless
 * `options.format` says otherwise.
 *
 * @example
 * await writeKerasWeightsFile('test.h5', await tfjsCheckpoint({ tf }).read(model));
 * // Python: model.load_weights('test.h5')
 */
export async function writeKerasWeightsFile(
  path: string,
  checkpoint: Checkpoint,
  options: WriteKerasWeightsFileOptions = {},
): Promise<void> {
  const { overwrite, ...encodeOptions } = options;
  const bytes = await encodeKeras(checkpoint, {
    ...encodeOptions,
    format: options.format ?? kerasFormatOfPath(path),
  });
  await writeFileAtomic(path, bytes, overwrite === undefined ? {} : { overwrite });
}
