import { tensorRules } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { kerasToOnnxRules } from './keras-to-onnx-rules.js';
import type { Rule } from './layer-pair.js';
import {
  type KerasToOnnxMapping,
  type KerasToOnnxOptions,
  resolvePairOptions,
} from './mapping-options.js';
import type { OnnxGraphSource } from './onnx-graph-info.js';
import { onnxToKerasRules } from './onnx-to-keras.js';
import { pairLayers } from './pair-layers.js';

/**
 * The reverse of `onnxToKeras`: a `WeightMapping` that writes a tfjs model's weights (its
 * checkpoint, under structural names) into the initializers of the PyTorch-style ONNX graph
 * they came from, in that graph's layouts. Pairing, checks and options are those of
 * `onnxToKeras` (the pair is validated in that direction first), and every step is the
 * inverse of the forward one (`transpose [3,2,0,1]`, `reorder gates ifco->iofc`, ...).
 * Keras keeps one recurrent bias where ONNX keeps two: they come back as `Wb = bias,
 * Rb = 0`, which computes the same; with `epsilon: 'fold'` the fold is undone. Only weight
 * initializers are produced, so write with `strict: false` when the graph also has
 * non-weight initializers (Reshape shapes, constants): their data is kept as it is.
 *
 * @example
 * // fine-tuned in tfjs, deployed with the original PyTorch ONNX graph
 * const checkpoint = await tfjsCheckpoint().read(model);
 * const onnx = await writeOnnx(onnxBytes, checkpoint, { mapping: kerasToOnnx(onnxBytes, model), strict: false });
 */
export function kerasToOnnx(
  onnx: OnnxGraphSource,
  model: LayersModel,
  options: KerasToOnnxOptions = {},
): KerasToOnnxMapping {
  const pairs = pairLayers(onnx, model, options.layers ?? {});
  const pairOptions = resolvePairOptions(options);
  const rules: Rule[] = [];
  for (const pair of pairs) {
    onnxToKerasRules(pair, pairOptions);
    rules.push(...kerasToOnnxRules(pair, pairOptions));
  }
  const mapping = tensorRules('keras-to-onnx', rules, { checkDtype: false });
  return {
    ...mapping,
    pairs: pairs.map((pair) => ({ onnx: pair.onnx.node.name, keras: pair.keras.path })),
  };
}
