import {
  type TfjsArtifactsErrorCode,
  TfjsError,
  type TfjsErrorOptions,
} from '../checkpoint/tfjs-error.js';

/**
 * Bad TensorFlow.js artifacts (`model.json`, weights manifest, shard files), or a checkpoint
 * that cannot be written as artifacts. Codes start with `TFJS_ARTIFACT_`; `file` names the
 * manifest or shard, `tensor` the weight.
 *
 * @example
 * await readTfjsArtifacts('model/model.json').catch((e) => e.code); // 'TFJS_ARTIFACT_SHARD_MISSING'
 */
export class TfjsArtifactsError extends TfjsError {
  static override readonly errorName: string = 'TfjsArtifactsError';
  declare readonly code: TfjsArtifactsErrorCode;

  constructor(options: TfjsErrorOptions<TfjsArtifactsErrorCode>) {
    super(options, 'tfjs-artifacts');
  }
}
