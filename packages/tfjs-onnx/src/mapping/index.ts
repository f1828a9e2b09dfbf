export {
  type KerasWeight,
  type KerasWeightedLayer,
  kerasWeightedLayers,
} from './keras-weighted-layers.js';
export {
  describeOnnxGraph,
  type OnnxAttributeValue,
  type OnnxGraphInfo,
  type OnnxGraphSource,
  type OnnxNodeInfo,
} from './onnx-graph-info.js';
export {
  type OnnxToKerasMapping,
  type OnnxToKerasOptions,
  onnxToKeras,
} from './onnx-to-keras.js';
export {
  type OnnxWeightedKind,
  type OnnxWeightedNode,
  type OnnxWeightRef,
  onnxWeightedNodes,
} from './onnx-weighted-nodes.js';
