export { kerasToOnnx } from './keras-to-onnx.js';
export {
  type KerasWeight,
  type KerasWeightedLayer,
  kerasWeightedLayers,
} from './keras-weighted-layers.js';
export type { LayerPair } from './layer-pair.js';
export type {
  KerasToOnnxMapping,
  KerasToOnnxOptions,
  OnnxToKerasMapping,
  OnnxToKerasOptions,
  PairedMapping,
  PairingOptions,
} from './mapping-options.js';
export {
  describeOnnxGraph,
  type OnnxAttributeValue,
  type OnnxGraphInfo,
  type OnnxGraphSource,
  type OnnxNodeInfo,
} from './onnx-graph-info.js';
export { onnxToKeras } from './onnx-to-keras.js';
export {
  type OnnxWeightedKind,
  type OnnxWeightedNode,
  type OnnxWeightRef,
  onnxWeightedNodes,
} from './onnx-weighted-nodes.js';
export { pairLayers } from './pair-layers.js';
