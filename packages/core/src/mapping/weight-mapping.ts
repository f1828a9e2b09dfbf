import type { Checkpoint, TensorSpec } from '../checkpoint/checkpoint.js';

/** One step a mapping took, shown in write reports so nothing is changed silently. */
export interface MappingStep {
  /** Names read from the source checkpoint. */
  readonly from: readonly string[];
  /** Name written in the result. */
  readonly to: string;
  /** What was done, e.g. `rename`, `transpose [1,0]`, `permute [3,2,0,1]`, `reorder gates iofc->ifco`. */
  readonly transform: string;
}

export interface MappingResult {
  readonly checkpoint: Checkpoint;
  readonly steps: readonly MappingStep[];
}

/**
 * Rewrites a checkpoint into the names and layouts a target model expects
 * (for example PyTorch-style ONNX `[out,in]` weights into Keras `[in,out]` kernels).
 * `target` lists the tensors the model wants, so a mapping can check shapes as it goes.
 */
export interface WeightMapping {
  readonly name: string;
  map(checkpoint: Checkpoint, target: ReadonlyMap<string, TensorSpec>): MappingResult;
}
