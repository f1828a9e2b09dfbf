export { ExternalDataStaleError } from '../tensor/external-data-stale-error.js';
export { encodeOnnxModel, PROTOBUF_SIZE_LIMIT } from './encode-onnx-model.js';
export { type DecodeOnnxModelOptions, decodeOnnxModel, loadOnnxModel } from './load-onnx-model.js';
export { type OnnxModel, wrapModelProto } from './onnx-model.js';
export { saveOnnxModel } from './save-onnx-model.js';
