import { tensorRules } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { convolutionRules } from './convolution-rules.js';
import { denseRules } from './dense-rules.js';
import { embeddingRules } from './embedding-rules.js';
import type { LayerPair, PairOptions, Rule } from './layer-pair.js';
import {
  type OnnxToKerasMapping,
  type OnnxToKerasOptions,
  resolvePairOptions,
} from './mapping-options.js';
import { normalizationRules } from './normalization-rules.js';
import type { OnnxGraphSource } from './onnx-graph-info.js';
import { pairLayers } from './pair-layers.js';
import { preluRules } from './prelu-rules.js';
import { recurrentRules } from './recurrent-rules.js';

/**
 * A `WeightMapping` that loads a PyTorch-style ONNX model's weights into a tfjs model of the
 * same architecture. The ONNX graph's weighted nodes (Gemm, MatMul+Add, Conv,
 * ConvTranspose, BatchNormalization, LayerNormalization, Gather, PRelu, LSTM, GRU) are paired with
 * the tfjs model's weighted layers in order (or by `options.layers`), and each initializer
 * is renamed to the tfjs structural name and converted to the Keras layout by named steps
 * (transpose, gate reorder, bias sum, epsilon check, flatten reorder) that the write
 * report lists. Everything is checked when the preset is made, before any data moves:
 * counts, layer classes, shapes, attributes tfjs cannot compute; each problem throws a
 * `MappingError` (origin `tfjs-onnx`) naming both the ONNX node and the tfjs layer.
 *
 * @example
 * const onnxBytes = await fs.readFile('resnet.onnx');
 * const mapping = onnxToKeras(onnxBytes, model);
 * const report = await tfjsCheckpoint().write(model, await readOnnxCheckpoint(onnxBytes), { mapping });
 * report.mapping; // [{ from: ['fc.weight'], to: 'dense/kernel', transform: 'transpose [1,0] ([out,in] -> [in,out])' }, ...]
 */
export function onnxToKeras(
  onnx: OnnxGraphSource,
  model: LayersModel,
  options: OnnxToKerasOptions = {},
): OnnxToKerasMapping {
  const pairs = pairLayers(onnx, model, options.layers ?? {});
  const pairOptions = resolvePairOptions(options);
  const rules = pairs.flatMap((pair) => onnxToKerasRules(pair, pairOptions));
  const mapping = tensorRules('onnx-to-keras', rules, { checkDtype: false });
  return {
    ...mapping,
    pairs: pairs.map((pair) => ({ onnx: pair.onnx.node.name, keras: pair.keras.path })),
  };
}

/** The rules of one pair (also validates it: `kerasToOnnx` runs this first). */
export function onnxToKerasRules(pair: LayerPair, options: PairOptions): Rule[] {
  switch (pair.onnx.kind) {
    case 'dense':
      return denseRules(pair, options);
    case 'conv':
    case 'convTranspose':
      return convolutionRules(pair);
    case 'batchNorm':
    case 'layerNorm':
      return normalizationRules(pair, options);
    case 'embedding':
      return embeddingRules(pair);
    case 'lstm':
    case 'gru':
      return recurrentRules(pair);
    case 'prelu':
      return preluRules(pair);
  }
}
