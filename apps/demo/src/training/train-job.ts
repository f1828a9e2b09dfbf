import type { ModelKind } from '../models/model-kind.js';
import type { TfjsBackend } from '../runtime/tfjs-runtime.js';

/** What one training child process does; passed to it as JSON in argv. */
export interface TrainJob {
  readonly model: ModelKind;
  readonly backend: TfjsBackend;
  readonly seed: number;
  /** Images in the training and test sets (`loadMnistSplit`). */
  readonly trainCount: number;
  readonly testCount: number;
  /** The epoch to train up to (exclusive end, as `model.fit`'s `epochs`). */
  readonly epochs: number;
  /**
   * Continue from the training state in this file (written by a job with `saveStateTo`).
   * `'exact'` also restores the RNG snapshot; `'weights-and-optimizer-only'` does not (a
   * control run that shows why the snapshot matters).
   */
  readonly resume?: {
    readonly from: string;
    readonly mode: 'exact' | 'weights-and-optimizer-only';
  };
  /** Save weights, optimizer state and RNG snapshot here when done (for a later resume). */
  readonly saveStateTo?: string;
  /** Save the logits model (topology + weights, `safetensorsIO`) here when done. */
  readonly saveWeightsTo?: string;
}

/** What a training child process prints (one JSON line on stdout). */
export interface TrainResult {
  /** `fingerprint()` of the final weights (SHA-256 over names, dtypes, shapes, bytes). */
  readonly fingerprint: string;
  /** Share of the test set classified correctly, 0 to 1. */
  readonly testAccuracy: number;
  readonly firstEpoch: number;
  readonly epochs: number;
  /** Wall time of `model.fit` only, in milliseconds. */
  readonly fitMs: number;
  readonly backend: TfjsBackend;
}

/** Metadata key holding how many epochs a saved training state has done. */
export const EPOCHS_DONE_KEY = 'demo.epochsDone';
