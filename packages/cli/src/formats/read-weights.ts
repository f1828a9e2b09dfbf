import { type Checkpoint, DEFAULT_PROBE_BYTES } from '@reprokit/core';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { OpenedInput } from './open-input.js';
import { ownTensorBytes } from './own-tensor-bytes.js';
import { remoteByteTotal } from './remote-byte-total.js';

/**
 * Read every tensor of an opened input into memory, whatever its format, through its store.
 * Quantized tfjs weights come back dequantized; ONNX initializers (inline or external) by name.
 * A remote input shows a progress bar of the bytes received, out of the entry's and its data
 * files' sizes (every shard of a sharded checkpoint).
 *
 * @example
 * const checkpoint = await readWeights(await openInput('model.onnx', progress), progress);
 */
export async function readWeights(
  input: OpenedInput,
  progress: ProgressReporter,
): Promise<Checkpoint> {
  if (input.remote) {
    const total = await remoteByteTotal(input);
    progress.phase(`read ${input.label}`, total);
    // The entry's opening request already brought its first bytes (the whole of a small index).
    progress.advance(Math.min(input.files.entry.size, DEFAULT_PROBE_BYTES));
  } else {
    progress.phase(`read ${input.label}`, 1);
  }
  const checkpoint = await input.store.read(input.files);
  if (!input.remote) progress.advance();
  return ownTensorBytes(checkpoint);
}
