import type { Check } from './check.js';

/** One row of the inference table: a runtime running one model on the same batch. */
export interface InferenceRow {
  readonly model: string;
  /** `tfjs cpu`, `tfjs wasm` or `onnxruntime-node`. */
  readonly runtime: string;
  readonly accuracy: number;
  /** Median time of one `predict` / `session.run` on the whole test batch. */
  readonly medianMs: number;
  readonly batch: number;
  /** tfjs cpu's median divided by this runtime's (tfjs cpu is the baseline, 1.0). */
  readonly speedUp: number;
  /** Largest |logit - tfjs cpu logit| over the batch. */
  readonly maxAbsDiff: number;
}

/** What `--json <file>` writes. */
export interface DemoReport {
  readonly version: 1;
  readonly passed: boolean;
  readonly options: { seed: number; epochs: number; fast: boolean };
  readonly data: { train: number; test: number; cnnTrain: number; cnnEpochs: number };
  readonly checks: readonly Check[];
  readonly inference: readonly InferenceRow[];
  readonly durationMs: number;
  readonly node: string;
}
