import type { Checkpoint } from '@reprokit/core';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { OpenedInput } from './open-input.js';
import { ownTensorBytes } from './own-tensor-bytes.js';

/**
 * Read every tensor of an opened input into memory, whatever its format, through its store.
 * Quantized tfjs weights come back dequantized; ONNX initializers (inline or external) by name.
 * A remote input shows a progress bar of the bytes received.
 *
 * @example
 * const checkpoint = await readWeights(await openInput('model.onnx', progress), progress);
 */
export async function readWeights(
  input: OpenedInput,
  progress: ProgressReporter,
): Promise<Checkpoint> {
  progress.phase(`read ${input.label}`, input.remote ? input.files.entry.size : 1);
  const checkpoint = await input.store.read(input.files);
  if (!input.remote) progress.advance();
  return ownTensorBytes(checkpoint);
}
