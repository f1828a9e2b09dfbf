import type { Checkpoint, Dtype } from '@reprokit/core';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { OpenedInput } from './open-input.js';
import type { WeightsFormat } from './weights-format.js';

/** One tensor as `inspect` lists it. */
export interface TensorSummary {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Size of the tensor's data in bytes. */
  readonly bytes: number;
}

/** What is in a weights file, from its headers. */
export interface WeightsSummary {
  readonly format: WeightsFormat;
  readonly tensors: readonly TensorSummary[];
  readonly metadata: ReadonlyMap<string, string>;
  /** The files read, entry first. */
  readonly files: readonly string[];
  /** Always `undefined`: inspect reads headers only (kept for `--fingerprint`, which reads). */
  readonly checkpoint: Checkpoint | undefined;
}

/**
 * List an input's tensors from its headers alone, in every format (the store's `inspect`): a
 * 10 GB safetensors file, or a sharded checkpoint on a server, is inspected after reading a
 * few KB per file.
 *
 * @example
 * const summary = await summarizeWeights(await openInput('big.safetensors', progress), progress);
 */
export async function summarizeWeights(
  input: OpenedInput,
  progress: ProgressReporter,
): Promise<WeightsSummary> {
  progress.phase(`read headers of ${input.label}`, 1);
  const summary = await input.store.inspect(input.files);
  progress.advance();
  return {
    format: input.format,
    tensors: summary.tensors.map((tensor) => ({
      name: tensor.name,
      dtype: tensor.dtype,
      shape: tensor.shape,
      bytes: tensor.byteLength,
    })),
    metadata: summary.metadata,
    files: summary.files,
    checkpoint: undefined,
  };
}
