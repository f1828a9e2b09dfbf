export { type OnnxCheckpointOptions, onnxCheckpoint } from './onnx-checkpoint-adapter.js';
export {
  type InitializerEntry,
  listInitializers,
  onnxTensorSpecs,
  readOnnxCheckpoint,
} from './read-onnx-checkpoint.js';
export {
  planOnnxWrite,
  type WriteOnnxOptions,
  type WriteOnnxResult,
  writeOnnx,
  writeOnnxWithReport,
} from './write-onnx.js';
