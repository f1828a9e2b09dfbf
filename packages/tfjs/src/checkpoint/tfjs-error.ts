import { ReprokitError } from '@reprokit/core';

/**
 * Codes of `TfjsError` itself (checkpoints and weight names).
 *
 * - `TFJS_DUPLICATE_WEIGHT_NAME`: two weights get the same structural name; name the layers apart.
 * - `TFJS_UNKNOWN_WEIGHT_LAYER`: a saved weight belongs to no layer of the topology.
 * - `TFJS_AMBIGUOUS_WEIGHT_LAYER`: a saved weight could belong to two layers of the topology.
 * - `TFJS_UNSUPPORTED_DTYPE`: a tfjs dtype with no checkpoint form (string, complex64).
 * - `TFJS_TENSOR_BYTE_LENGTH`: a checkpoint tensor's bytes do not fit its dtype and shape.
 * - `TFJS_OPTIMIZER_STATE`: saved optimizer state does not fit the model's optimizer.
 * - `TFJS_BAD_METADATA`: a checkpoint metadata value that must be JSON is not.
 */
export type TfjsCheckpointErrorCode =
  | 'TFJS_DUPLICATE_WEIGHT_NAME'
  | 'TFJS_UNKNOWN_WEIGHT_LAYER'
  | 'TFJS_AMBIGUOUS_WEIGHT_LAYER'
  | 'TFJS_UNSUPPORTED_DTYPE'
  | 'TFJS_TENSOR_BYTE_LENGTH'
  | 'TFJS_OPTIMIZER_STATE'
  | 'TFJS_BAD_METADATA';

/**
 * Codes of `TfjsArtifactsError`: bad TensorFlow.js artifacts (`model.json`, a weights manifest,
 * shard files) or a checkpoint that cannot be written as artifacts.
 */
export type TfjsArtifactsErrorCode =
  | 'TFJS_ARTIFACT_BAD_MANIFEST'
  | 'TFJS_ARTIFACT_PATH_ESCAPES'
  | 'TFJS_ARTIFACT_SHARD_MISSING'
  | 'TFJS_ARTIFACT_SHARD_SHORT'
  | 'TFJS_ARTIFACT_SHARD_LONG'
  | 'TFJS_ARTIFACT_UNKNOWN_DTYPE'
  | 'TFJS_ARTIFACT_STRING_WEIGHT'
  | 'TFJS_ARTIFACT_UNKNOWN_QUANTIZATION'
  | 'TFJS_ARTIFACT_QUANTIZATION_PARAMS'
  | 'TFJS_ARTIFACT_BYTE_LENGTH'
  | 'TFJS_ARTIFACT_DUPLICATE_WEIGHT'
  | 'TFJS_ARTIFACT_UNSUPPORTED_DTYPE'
  | 'TFJS_ARTIFACT_BAD_OPTION';

/** Codes of `SafetensorsIOError`: what the safetensors IOHandler and the direct load and save refuse. */
export type SafetensorsIOErrorCode =
  | 'TFJS_IO_NO_TOPOLOGY'
  | 'TFJS_IO_CANNOT_OPEN'
  | 'TFJS_IO_UNSUPPORTED_DTYPE'
  | 'TFJS_IO_UNSUPPORTED_TOPOLOGY'
  | 'TFJS_IO_TRUNCATED'
  | 'TFJS_IO_NO_SAVE_TARGET';

/** Every code a `TfjsError` (or one of its subclasses) carries. */
export type TfjsErrorCode =
  | TfjsCheckpointErrorCode
  | TfjsArtifactsErrorCode
  | SafetensorsIOErrorCode;

export interface TfjsErrorOptions<Code extends string = TfjsErrorCode> {
  code: Code;
  message: string;
  file?: string | undefined;
  tensor?: string | undefined;
  byteOffset?: number | undefined;
  cause?: unknown;
}

/**
 * An error raised by `@reprokit/tfjs` on purpose: bad input to a checkpoint, artifact or IO
 * function. `code` is stable (`TfjsErrorCode`); `file`, `tensor` and `byteOffset` are set where
 * known. Seed control errors are `TfjsSeedError`.
 *
 * @example
 * try { await tfjsCheckpoint(tf).write(model, checkpoint) } catch (e) {
 *   if (TfjsError.isInstance(e) && e.code === 'TFJS_DUPLICATE_WEIGHT_NAME') console.log(e.tensor);
 * }
 */
export class TfjsError extends ReprokitError {
  static override readonly errorName: string = 'TfjsError';
  declare readonly code: TfjsErrorCode;

  constructor(options: TfjsErrorOptions, origin = 'tfjs') {
    super({ ...options, origin });
  }
}
