import type { LayerConverter } from '../layer-context.js';
import {
  activationLayer,
  eluLayer,
  identityLayer,
  leakyReluLayer,
  preluLayer,
  reluLayer,
  softmaxLayer,
  thresholdedReluLayer,
} from './activation-layers.js';
import {
  convLayer,
  convTransposeLayer,
  depthwiseConv2dLayer,
  separableConv2dLayer,
} from './convolution.js';
import { denseLayer } from './dense.js';
import { dotLayer } from './dot.js';
import { embeddingLayer } from './embedding.js';
import { averageLayer, concatenateLayer, foldLayer } from './merge.js';
import { batchNormalizationLayer, layerNormalizationLayer } from './normalization.js';
import { globalPoolLayer, poolLayer } from './pooling.js';
import { recurrentLayer, rnnLayer } from './recurrent.js';
import { rescalingLayer } from './rescaling.js';
import { flattenLayer, permuteLayer, repeatVectorLayer, reshapeLayer } from './reshaping.js';
import { cropping2dLayer, upSampling2dLayer, zeroPadding2dLayer } from './spatial.js';
import { bidirectionalLayer, timeDistributedLayer } from './wrappers.js';

export { SUPPORTED_ACTIVATIONS } from './activations.js';

/** Converters by tfjs class name (`layer.getClassName()`). */
export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Dense: denseLayer,
  Activation: activationLayer,
  ReLU: reluLayer,
  LeakyReLU: leakyReluLayer,
  PReLU: preluLayer,
  ELU: eluLayer,
  ThresholdedReLU: thresholdedReluLayer,
  Softmax: softmaxLayer,
  Dropout: identityLayer,
  SpatialDropout1D: identityLayer,
  GaussianNoise: identityLayer,
  GaussianDropout: identityLayer,
  AlphaDropout: identityLayer,
  Flatten: flattenLayer,
  Reshape: reshapeLayer,
  Permute: permuteLayer,
  RepeatVector: repeatVectorLayer,
  Conv1D: convLayer(1),
  Conv2D: convLayer(2),
  DepthwiseConv2D: depthwiseConv2dLayer,
  SeparableConv2D: separableConv2dLayer,
  Conv2DTranspose: convTransposeLayer(2),
  Conv3D: convLayer(3),
  Conv3DTranspose: convTransposeLayer(3),
  MaxPooling1D: poolLayer('MaxPool', 1),
  MaxPooling2D: poolLayer('MaxPool', 2),
  AveragePooling1D: poolLayer('AveragePool', 1),
  AveragePooling2D: poolLayer('AveragePool', 2),
  MaxPooling3D: poolLayer('MaxPool', 3),
  AveragePooling3D: poolLayer('AveragePool', 3),
  GlobalAveragePooling1D: globalPoolLayer('ReduceMean'),
  GlobalAveragePooling2D: globalPoolLayer('ReduceMean'),
  GlobalMaxPooling1D: globalPoolLayer('ReduceMax'),
  GlobalMaxPooling2D: globalPoolLayer('ReduceMax'),
  BatchNormalization: batchNormalizationLayer,
  LayerNormalization: layerNormalizationLayer,
  Add: foldLayer('Add'),
  Multiply: foldLayer('Mul'),
  Maximum: foldLayer('Max'),
  Minimum: foldLayer('Min'),
  Average: averageLayer,
  Concatenate: concatenateLayer,
  Dot: dotLayer,
  Embedding: embeddingLayer,
  ZeroPadding2D: zeroPadding2dLayer,
  Cropping2D: cropping2dLayer,
  UpSampling2D: upSampling2dLayer,
  Rescaling: rescalingLayer,
  LSTM: recurrentLayer('LSTM'),
  GRU: recurrentLayer('GRU'),
  SimpleRNN: recurrentLayer('SimpleRNN'),
  RNN: rnnLayer,
  Bidirectional: bidirectionalLayer,
  TimeDistributed: timeDistributedLayer,
};

/**
 * tfjs class names (`layer.getClassName()`) the exporter converts; any other class throws
 * `ONNX_EXPORT_UNSUPPORTED_LAYER`.
 *
 * @example
 * SUPPORTED_LAYERS.includes(layer.getClassName()); // check a model before exporting
 */
export const SUPPORTED_LAYERS: readonly string[] = Object.keys(LAYER_CONVERTERS);
