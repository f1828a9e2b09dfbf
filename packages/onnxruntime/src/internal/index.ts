// @reprokit/onnxruntime/internal: what sibling reprokit packages (tfjs-onnx, the CLI, the test
// suites) share with this one and users should not need. Not public: no semver promise.
export { planOnnxWrite } from '../checkpoint/write-onnx.js';
export { onnxDataTypeName } from '../dtype/onnx-dtype.js';
export { qualifiedName, SUBGRAPH_SEPARATOR } from '../graph/initializer-names.js';
export {
  initializersKeptEmbedded,
  type KeptEmbeddedReason,
} from '../graph/initializers-kept-embedded.js';
export {
  copyMessage,
  forEachInitializer,
  type ModelVisitor,
  rewriteModel,
} from '../graph/rewrite-model.js';
export { PROTOBUF_SIZE_LIMIT } from '../model/encode-onnx-model.js';
export { mergeSessionOptions } from '../session/deterministic-session-options.js';
export {
  prepareSessionModel,
  SESSION_TENSOR_LOCATION_PREFIX,
  SESSION_WEIGHTS_LOCATION,
  type SessionWeightsOptions,
} from '../session/prepare-session-model.js';
export { type EncodeOnnxFilesOptions, encodeOnnxFiles } from '../store/encode-onnx-files.js';
export { looksLikeOnnxModel } from '../store/looks-like-onnx-model.js';
export { embedKeptInitializers } from '../tensor/embed-kept-initializers.js';
export { type RawDataLocation, scanRawData } from '../wire/raw-data-scanner.js';
