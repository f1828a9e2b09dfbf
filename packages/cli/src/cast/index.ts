export {
  type CastCheckpointOptions,
  type CastNote,
  castCheckpoint,
  describeCastNote,
} from './cast-checkpoint.js';
export { castForTfjs } from './cast-for-tfjs.js';
export { type CastKind, castKind, castTensor } from './cast-tensor.js';
export { castToSpecs } from './cast-to-specs.js';
