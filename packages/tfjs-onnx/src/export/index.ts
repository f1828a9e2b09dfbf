export { type ExportToOnnxOptions, exportToOnnx, SUPPORTED_OPSETS } from './export-to-onnx.js';
export { SUPPORTED_ACTIVATIONS, SUPPORTED_LAYERS } from './layers/index.js';
export {
  OnnxExportError,
  type OnnxExportErrorCode,
  type OnnxExportErrorOptions,
} from './onnx-export-error.js';
