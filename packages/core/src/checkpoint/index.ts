export {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  elementCount,
  type TensorSpec,
} from './checkpoint.js';
export type { CheckpointAdapter, CheckpointWriteOptions } from './checkpoint-adapter.js';
export { CheckpointError, type CheckpointErrorCode } from './checkpoint-error.js';
export { CheckpointMismatchError } from './checkpoint-mismatch-error.js';
export {
  type CompareOptions,
  type CompareReport,
  compare,
  type TensorComparison,
  type TensorComparisonStatus,
} from './compare.js';
export { closestNames } from './did-you-mean.js';
export { DTYPES, type Dtype, dtypeSize, isDtype } from './dtype.js';
export { FINGERPRINT_VERSION, fingerprint } from './fingerprint.js';
export {
  bfloat16ToFloat32Array,
  float16ToFloat32Array,
  float32ToBfloat16Array,
  float32ToFloat16Array,
} from './float-conversion.js';
export { type DecodeSafetensorsOptions, decodeSafetensors } from './safetensors-decode.js';
export {
  compareCodePoints,
  encodeSafetensors,
  type PlannedTensor,
  planSafetensors,
  type SafetensorsLayout,
} from './safetensors-encode.js';
export {
  SafetensorsError,
  type SafetensorsErrorCode,
  type SafetensorsErrorOptions,
} from './safetensors-error.js';
export {
  openSafetensors,
  readSafetensorsHeaderFrom,
  type SafetensorsFile,
} from './safetensors-file.js';
export {
  MAX_HEADER_LENGTH,
  METADATA_KEY,
  type ParseHeaderOptions,
  parseSafetensorsHeader,
  readHeaderLength,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
  UNSUPPORTED_SPEC_DTYPES,
} from './safetensors-header.js';
export { readSafetensors } from './safetensors-read.js';
export {
  type IndexMetadataValue,
  type ParseShardedIndexOptions,
  parseShardedIndex,
  type ShardedIndex,
  type ShardedIndexInput,
} from './sharded-index.js';
export {
  checkTensor,
  fromTypedArray,
  HOST_IS_LITTLE_ENDIAN,
  type StorageArray,
  type TypedArrayByDtype,
  type TypedArrayInputByDtype,
  toStorageArray,
  toTypedArray,
} from './typed-array.js';
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
