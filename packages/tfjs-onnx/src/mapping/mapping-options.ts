import type { EpsilonPolicy, WeightMapping } from '@reprokit/core';
import type { PairOptions } from './layer-pair.js';

/** How both presets pair a PyTorch-style ONNX graph's weighted nodes with a tfjs model's layers. */
export interface PairingOptions {
  /**
   * Explicit pairs, ONNX node name -> tfjs layer path (`dense_1`, `encoder/conv2d`). The
   * remaining nodes and layers are paired in order.
   */
  readonly layers?: Readonly<Record<string, string>>;
  /**
   * When a normalisation epsilon differs: `error` (default) throws
   * `MAPPING_EPSILON_MISMATCH`; `fold` rescales BatchNormalization gamma so the tfjs layer
   * computes what ONNX computes (and `kerasToOnnx` undoes that); `warn` moves the weights as
   * they are and records the difference as a step.
   */
  readonly epsilon?: EpsilonPolicy;
  /**
   * Kernel rows of a Dense right after a Flatten: PyTorch flattens channels first, Keras
   * channels last. `auto` (default) reorders them when a convolution or pooling layer made
   * the flattened tensor (through BatchNormalization, activations, dropout); `always` also
   * when the Flatten takes the model input or a Reshape (their last axis is then taken as
   * channels); `keep` never. A Permute right before the Flatten (the tfjs model flattens
   * channels first itself) is never reordered.
   */
  readonly flatten?: 'auto' | 'always' | 'keep';
}

/** Options of `onnxToKeras`. */
export type OnnxToKerasOptions = PairingOptions;

/**
 * Options of `kerasToOnnx`: the pairing is decided and checked as `onnxToKeras` decides it, so
 * they are the same options, and the same values give inverse mappings.
 */
export type KerasToOnnxOptions = PairingOptions;

/** A preset: a `WeightMapping` plus the pairing it decided on, for inspection. */
export interface PairedMapping extends WeightMapping {
  /** Which ONNX node fills which tfjs layer, in order. */
  readonly pairs: ReadonlyArray<{ readonly onnx: string; readonly keras: string }>;
}

/** What `onnxToKeras` returns. */
export type OnnxToKerasMapping = PairedMapping;

/** What `kerasToOnnx` returns. */
export type KerasToOnnxMapping = PairedMapping;

/** Defaults of the options both directions share. */
export function resolvePairOptions(options: PairingOptions): PairOptions {
  return { epsilon: options.epsilon ?? 'error', flatten: options.flatten ?? 'auto' };
}
