// @reprokit/tfjs-onnx: a tfjs LayersModel exported to ONNX, and weight mapping presets between
// PyTorch-style ONNX graphs and tfjs models. Works in any JavaScript environment.
export {
  type ExportToOnnxOptions,
  exportToOnnx,
  SUPPORTED_OPSETS,
} from './export/export-to-onnx.js';
export { SUPPORTED_ACTIVATIONS, SUPPORTED_LAYERS } from './export/layers/index.js';
export {
  OnnxExportError,
  type OnnxExportErrorCode,
  type OnnxExportErrorOptions,
} from './export/onnx-export-error.js';
export { kerasToOnnx } from './mapping/keras-to-onnx.js';
export type {
  KerasToOnnxMapping,
  KerasToOnnxOptions,
  OnnxToKerasMapping,
  OnnxToKerasOptions,
  PairedMapping,
  PairingOptions,
} from './mapping/mapping-options.js';
export {
  describeOnnxGraph,
  type OnnxAttributeValue,
  type OnnxGraphInfo,
  type OnnxGraphSource,
  type OnnxNodeInfo,
} from './mapping/onnx-graph-info.js';
export { onnxToKeras } from './mapping/onnx-to-keras.js';
