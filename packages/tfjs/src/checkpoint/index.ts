export {
  type CheckpointWeight,
  checkpointWeightNames,
  checkpointWeights,
  type TfjsWeight,
} from './checkpoint-weight-names.js';
export {
  decodeBfloat16,
  decodeFloat16,
  decodeFloat64ToFloat32,
  halfToFloat32Bits,
} from './float-conversions.js';
export { autoLayerBaseName, type LayerNode, tfjsSnakeCase } from './structural-names.js';
export type { TfModule } from './tf-module.js';
export {
  type TfjsCheckpointAdapter,
  type TfjsCheckpointOptions,
  type TfjsWriteOptions,
  tfjsCheckpoint,
} from './tfjs-checkpoint.js';
export { checkpointDtype, tfjsDtype } from './tfjs-dtype.js';
export { TfjsError } from './tfjs-error.js';
export { topologyLayerPaths, topologyWeightNames } from './topology-weight-names.js';
export {
  type LoadedTrainingState,
  type LoadTrainingStateOptions,
  loadTrainingState,
  type SaveTrainingStateOptions,
  saveTrainingState,
  TRAINING_STATE_KEYS,
} from './training-state.js';
