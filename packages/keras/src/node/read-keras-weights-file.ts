import type { Checkpoint } from '@reprokit/core';
import { fileSource } from '@reprokit/core/node';
import { type ReadKerasOptions, readKeras } from '../read/read-keras.js';

export type ReadKerasWeightsFileOptions = Omit<ReadKerasOptions, 'name'>;

/**
 * Reads a Keras weights file from disk (`.h5`, `.weights.h5`, `.keras`; the format is told by
 * the content, not the name) into a `Checkpoint`. Errors name the path.
 *
 * @example
 * const checkpoint = await readKerasWeightsFile('model.weights.h5');
 * await tfjsCheckpoint(tf).write(model, checkpoint);
 */
export async function readKerasWeightsFile(
  path: string,
  options: ReadKerasWeightsFileOptions = {},
): Promise<Checkpoint> {
  const source = await fileSource(path);
  try {
    return await readKeras(source, options);
  } finally {
    await source.close();
  }
}
