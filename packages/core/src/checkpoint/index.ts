export {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  elementCount,
  type TensorSpec,
} from './checkpoint.js';
export type { CheckpointAdapter, CheckpointWriteOptions } from './checkpoint-adapter.js';
export { CheckpointMismatchError } from './checkpoint-mismatch-error.js';
export { closestNames } from './did-you-mean.js';
export { DTYPES, type Dtype, dtypeSize, isDtype } from './dtype.js';
export {
  describeWriteProblems,
  formatShape,
  isCompleteWrite,
  type MissingTensor,
  planCheckpointWrite,
  sameShape,
  type TensorMismatch,
  type UnexpectedTensor,
  type WriteReport,
} from './write-report.js';
