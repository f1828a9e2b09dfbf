export { OnnxError, type OnnxErrorCode, type OnnxErrorOptions } from './onnx-error.js';
