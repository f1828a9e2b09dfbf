export { dtypeToOnnxDataType, onnxDataTypeName, onnxDataTypeToDtype } from './onnx-dtype.js';
