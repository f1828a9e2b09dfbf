// @reprokit/onnxruntime: ONNX models and ONNX Runtime sessions from bytes, in any JavaScript
// environment (onnxruntime-node, onnxruntime-web). Paths and files: @reprokit/onnxruntime/node.
export {
  type OnnxCheckpointOptions,
  onnxCheckpoint,
} from './checkpoint/onnx-checkpoint-adapter.js';
export {
  type InitializerEntry,
  listInitializers,
  onnxTensorSpecs,
  readOnnxCheckpoint,
} from './checkpoint/read-onnx-checkpoint.js';
export {
  type WriteOnnxOptions,
  type WriteOnnxResult,
  writeOnnx,
  writeOnnxWithReport,
} from './checkpoint/write-onnx.js';
export { dtypeToOnnxDataType, onnxDataTypeToDtype } from './dtype/onnx-dtype.js';
export { OnnxError, type OnnxErrorCode, type OnnxErrorOptions } from './errors/onnx-error.js';
export type { KeptEmbeddedReason } from './graph/initializers-kept-embedded.js';
export { decodeOnnxModel } from './model/decode-onnx-model.js';
export { encodeOnnxModel } from './model/encode-onnx-model.js';
export {
  type ExternalDataFiles,
  type OnnxModel,
  type OnnxModelOptions,
  wrapModelProto,
} from './model/onnx-model.js';
export { type OpenOnnxModelOptions, openOnnxModel } from './model/open-onnx-model.js';
export { type ApplySeedsResult, applySeeds } from './seed/apply-seeds.js';
export {
  type OnnxSeedControl,
  type OnnxSeedState,
  onnxSeedControl,
} from './seed/onnx-seed-control.js';
export { type CreateSessionOptions, createSession } from './session/create-session.js';
export {
  type DeterminismOptions,
  type DeterministicSessionOptions,
  deterministicSessionOptions,
} from './session/deterministic-session-options.js';
export type { OrtModule, OrtSession, OrtSessionOptions } from './session/ort-module.js';
export { type OnnxStoreWriteOptions, onnxStore } from './store/onnx-store.js';
export { ExternalDataStaleError } from './tensor/external-data-stale-error.js';
export {
  type PatchOnnxWeightsOptions,
  type PatchOnnxWeightsResult,
  patchOnnxWeights,
} from './wire/patch-onnx-weights.js';
