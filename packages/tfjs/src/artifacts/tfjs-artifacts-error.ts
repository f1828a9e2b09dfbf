import type { ReprokitErrorOptions } from '@reprokit/core';
import { TfjsError } from '../checkpoint/tfjs-error.js';

/**
 * Bad TensorFlow.js artifacts (`model.json`, weights manifest, shard files). Codes start with
 * `TFJS_ARTIFACT_`; `file` names the manifest or shard, `tensor` the weight.
 *
 * @example
 * await readTfjsArtifacts('model/model.json').catch((e) => e.code); // 'TFJS_ARTIFACT_SHARD_MISSING'
 */
export class TfjsArtifactsError extends TfjsError {
  static override readonly errorName: string = 'TfjsArtifactsError';

  constructor(options: Omit<ReprokitErrorOptions, 'origin'>) {
    super({ ...options, origin: 'tfjs-artifacts' });
  }
}
