export { checkpointWeightNames } from './checkpoint-weight-names.js';
export {
  type TfjsCheckpointAdapter,
  type TfjsWriteOptions,
  tfjsCheckpoint,
} from './tfjs-checkpoint.js';
export {
  type SafetensorsIOErrorCode,
  type TfjsArtifactsErrorCode,
  type TfjsCheckpointErrorCode,
  TfjsError,
  type TfjsErrorCode,
} from './tfjs-error.js';
export {
  type LoadedTrainingState,
  type LoadTrainingStateOptions,
  loadTrainingState,
  type SaveTrainingStateOptions,
  saveTrainingState,
  TRAINING_STATE_KEYS,
} from './training-state.js';
