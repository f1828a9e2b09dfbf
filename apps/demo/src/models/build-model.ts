import type * as tfModule from '@tensorflow/tfjs';
import type { LayersModel } from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../data/image-size.js';
import type { ModelKind } from './model-kind.js';

type Tf = typeof tfModule;

/** A model to train (ends in softmax) and the model that shares its layers up to the logits. */
export interface DemoModel {
  readonly training: LayersModel;
  /** Same weights as `training`, output = the last Dense layer (logits, before softmax). */
  readonly logits: LayersModel;
}

/**
 * Build the demo's MLP or CNN with fixed layer names, so that checkpoint names are the same
 * in every process (`hidden1/kernel`, `conv1/kernel`, ...). Initial weights come from tfjs'
 * random initializers, so call it under `seedEverything` for reproducible weights.
 *
 * @example
 * const { training, logits } = buildModel(tf, 'mlp');
 * training.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
 */
export function buildModel(tf: Tf, kind: ModelKind): DemoModel {
  const input = tf.input({ shape: [IMAGE_SIZE], name: 'pixels' });
  let x: tfModule.SymbolicTensor;
  if (kind === 'mlp') {
    x = tf.layers
      .dense({ units: 128, activation: 'relu', name: 'hidden1' })
      .apply(input) as tfModule.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'norm1' }).apply(x) as tfModule.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.2, name: 'drop1' }).apply(x) as tfModule.SymbolicTensor;
    x = tf.layers
      .dense({ units: 64, activation: 'relu', name: 'hidden2' })
      .apply(x) as tfModule.SymbolicTensor;
  } else {
    x = tf.layers
      .reshape({ targetShape: [28, 28, 1], name: 'image' })
      .apply(input) as tfModule.SymbolicTensor;
    x = tf.layers
      .conv2d({ filters: 8, kernelSize: 5, strides: 2, activation: 'relu', name: 'conv1' })
      .apply(x) as tfModule.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: 'norm1' }).apply(x) as tfModule.SymbolicTensor;
    x = tf.layers
      .conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv2' })
      .apply(x) as tfModule.SymbolicTensor;
    x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tfModule.SymbolicTensor;
    x = tf.layers.dropout({ rate: 0.25, name: 'drop1' }).apply(x) as tfModule.SymbolicTensor;
  }
  const logits = tf.layers.dense({ units: 10, name: 'logits' }).apply(x) as tfModule.SymbolicTensor;
  const probabilities = tf.layers
    .activation({ activation: 'softmax', name: 'probabilities' })
    .apply(logits) as tfModule.SymbolicTensor;
  return {
    training: tf.model({ inputs: input, outputs: probabilities, name: `${kind}_training` }),
    logits: tf.model({ inputs: input, outputs: logits, name: `${kind}_logits` }),
  };
}
