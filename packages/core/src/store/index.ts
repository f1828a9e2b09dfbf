export { blobFiles, bytesFiles } from './bytes-files.js';
export type { CheckpointFiles } from './checkpoint-files.js';
export {
  type CheckpointStore,
  type CheckpointSummary,
  type EncodedCheckpoint,
  type EncodedFile,
  type EncodeOptions,
  type FormatProbe,
  PROBE_BYTES,
  type StoreReadOptions,
  type TensorSummary,
} from './checkpoint-store.js';
export {
  CheckpointStoreError,
  type CheckpointStoreErrorCode,
  type CheckpointStoreErrorOptions,
} from './checkpoint-store-error.js';
export { describeContent } from './describe-content.js';
export { detectCheckpointStore, probeOf } from './detect-checkpoint-store.js';
export {
  type AnyCheckpointStore,
  type CheckpointInput,
  defaultCheckpointStores,
  inspectCheckpoint,
  isCheckpointFiles,
  type ReadCheckpointOptions,
  readCheckpoint,
} from './read-checkpoint.js';
export { safetensorsStore } from './safetensors-store.js';
export {
  SHARD_INDEX_SUFFIX,
  type ShardedSafetensorsWriteOptions,
  shardedSafetensorsStore,
} from './sharded-safetensors-store.js';
export { type UrlFiles, urlFiles } from './url-files.js';
