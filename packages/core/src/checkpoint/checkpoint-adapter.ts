import type { WeightMapping } from '../mapping/weight-mapping.js';
import type { Checkpoint } from './checkpoint.js';
import type { WriteReport } from './write-report.js';

export interface CheckpointWriteOptions {
  /**
   * Default `true`: any missing, unexpected or mismatched tensor throws a
   * `CheckpointMismatchError` listing all of them, and the model is left unchanged.
   * `false`: load what matches and return a report of the rest.
   */
  strict?: boolean;
  /** Rewrite names and layouts before loading (for example ONNX/PyTorch to Keras). */
  mapping?: WeightMapping;
}

/**
 * Reads and writes one runtime's models as `Checkpoint`s. Made by a factory
 * (`tfjsCheckpoint()`, `onnxCheckpoint()`); every adapter passes the conformance suite.
 */
export interface CheckpointAdapter<M> {
  readonly name: string;
  read(model: M): Promise<Checkpoint>;
  write(model: M, checkpoint: Checkpoint, options?: CheckpointWriteOptions): Promise<WriteReport>;
}
