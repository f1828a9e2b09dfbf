import type { Checkpoint } from '@reprokit/core';
import { type WriteFileAtomicOptions, writeFileAtomic } from '@reprokit/core/node';
import {
  type EncodeKerasOptions,
  encodeKeras,
  type KerasWriteFormat,
} from '../write/encode-keras.js';
import { kerasFormatOfPath } from '../write/keras-format-of-path.js';

export interface WriteKerasWeightsFileOptions
  extends Omit<EncodeKerasOptions, 'format'>,
    Pick<WriteFileAtomicOptions, 'overwrite'> {
  /** Default: from the file name, as Keras decides (`kerasFormatOfPath`). */
  format?: KerasWriteFormat;
}

/**
 * Writes a checkpoint as a Keras weights file, crash-safe: the bytes go to a temporary file in
 * the same folder, are fsynced and renamed over `path` (`writeFileAtomic`), so a reader sees the
 * old file or the complete new one, never a part. The format follows the file name unless
 * `options.format` says otherwise.
 *
 * @example
 * await writeKerasWeightsFile('test.h5', await tfjsCheckpoint(tf).read(model));
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
