import type { SourceInput } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import type { io } from '@tensorflow/tfjs';
import {
  type SafetensorsIOOptions,
  safetensorsIO as safetensorsIOInput,
} from '../io/safetensors-io.js';
import { safetensorsIOHandler } from '../io/safetensors-io-handler.js';
import { openFileForIO } from './open-file-for-io.js';

/**
 * `safetensorsIO` of the root entry, plus paths: `model.save(safetensorsIO(path))` writes one
 * safetensors file atomically (temp file, fsync, rename: a crash leaves the old file or the new
 * one), and `tf.loadLayersModel(safetensorsIO(path))` loads it back, reading the file in place.
 *
 * @example
 * await model.save(safetensorsIO('model.safetensors'));
 * const again = await tf.loadLayersModel(safetensorsIO('model.safetensors'));
 */
export function safetensorsIO(options: SafetensorsIOOptions): io.IOHandler;
export function safetensorsIO(
  input: string | SourceInput,
  options?: SafetensorsIOOptions,
): io.IOHandler;
export function safetensorsIO(
  first: string | SourceInput | SafetensorsIOOptions,
  second: SafetensorsIOOptions = {},
): io.IOHandler {
  if (typeof first !== 'string') {
    return safetensorsIOInput(first as SourceInput, second);
  }
  const path = first;
  return safetensorsIOHandler({
    name: path,
    async open() {
      const source = await openFileForIO(path);
      return { source, close: () => source.close() };
    },
    save: (checkpoint) => writeSafetensors(checkpoint, path),
  });
}
