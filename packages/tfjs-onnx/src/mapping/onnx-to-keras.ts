import { type EpsilonPolicy, MappingError, tensorRules, type WeightMapping } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { convolutionRules } from './convolution-rules.js';
import { denseRules } from './dense-rules.js';
import { embeddingRules } from './embedding-rules.js';
import { type KerasWeightedLayer, kerasWeightedLayers } from './keras-weighted-layers.js';
import {
  describeKerasLayer,
  type LayerPair,
  ORIGIN,
  type PairOptions,
  pairError,
  type Rule,
} from './layer-pair.js';
import { normalizationRules } from './normalization-rules.js';
import { describeOnnxGraph, type OnnxGraphSource } from './onnx-graph-info.js';
import {
  describeOnnxNode,
  type OnnxWeightedKind,
  type OnnxWeightedNode,
  onnxWeightedNodes,
} from './onnx-weighted-nodes.js';
import { recurrentRules } from './recurrent-rules.js';

export interface OnnxToKerasOptions {
  /**
   * Explicit pairs, ONNX node name -> tfjs layer path (`dense_1`, `encoder/conv2d`). The
   * remaining nodes and layers are paired in order.
   */
  readonly layers?: Readonly<Record<string, string>>;
  /**
   * When a normalisation epsilon differs: `error` (default) throws
   * `MAPPING_EPSILON_MISMATCH`; `fold` rescales BatchNormalization gamma so the tfjs layer
   * computes what ONNX computes; `warn` loads as is and records the difference as a step.
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

/** The preset: a `WeightMapping` plus the pairing it decided on, for inspection. */
export interface OnnxToKerasMapping extends WeightMapping {
  /** Which ONNX node fills which tfjs layer, in order. */
  readonly pairs: ReadonlyArray<{ readonly onnx: string; readonly keras: string }>;
}

/** Which tfjs layer classes can take each ONNX node kind. */
const COMPATIBLE: Readonly<Record<OnnxWeightedKind, readonly string[]>> = {
  dense: ['Dense'],
  conv: ['Conv1D', 'Conv2D', 'Conv3D', 'DepthwiseConv2D'],
  convTranspose: ['Conv2DTranspose', 'Conv3DTranspose'],
  batchNorm: ['BatchNormalization'],
  layerNorm: ['LayerNormalization'],
  embedding: ['Embedding'],
  lstm: ['LSTM'],
  gru: ['GRU'],
};

/**
 * A `WeightMapping` that loads a PyTorch-style ONNX model's weights into a tfjs model of the
 * same architecture. The ONNX graph's weighted nodes (Gemm, MatMul+Add, Conv,
 * ConvTranspose, BatchNormalization, LayerNormalization, Gather, LSTM, GRU) are paired with
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
  const graph = describeOnnxGraph(onnx);
  const layers = kerasWeightedLayers(model);
  const supported = new Set(Object.values(COMPATIBLE).flat());
  for (const layer of layers) {
    if (!supported.has(layer.className)) {
      throw new MappingError({
        code: 'MAPPING_UNSUPPORTED_LAYER',
        origin: ORIGIN,
        message: `tfjs ${describeKerasLayer(layer)} has weights the preset cannot fill from ONNX (it fills ${[...supported].join(', ')})`,
      });
    }
  }
  const pairs = pairLayers(onnxWeightedNodes(graph), layers, options.layers ?? {});
  const pairOptions = {
    epsilon: options.epsilon ?? 'error',
    flatten: options.flatten ?? 'auto',
  } as const;
  const rules: Rule[] = [];
  for (const pair of pairs) {
    if (!COMPATIBLE[pair.onnx.kind].includes(pair.keras.className)) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `an ONNX ${pair.onnx.node.opType} cannot fill a tfjs ${pair.keras.className} (it fills ${COMPATIBLE[pair.onnx.kind].join(', ')}); check the layer order or pass options.layers`,
      );
    }
    rules.push(...rulesFor(pair, pairOptions));
  }
  const mapping = tensorRules('onnx-to-keras', rules, { checkDtype: false });
  return {
    ...mapping,
    pairs: pairs.map((pair) => ({ onnx: pair.onnx.node.name, keras: pair.keras.path })),
  };
}

function rulesFor(pair: LayerPair, options: PairOptions): Rule[] {
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
  }
}

function pairLayers(
  nodes: readonly OnnxWeightedNode[],
  layers: readonly KerasWeightedLayer[],
  explicit: Readonly<Record<string, string>>,
): LayerPair[] {
  const pinned = new Map<OnnxWeightedNode, KerasWeightedLayer>();
  for (const [nodeName, path] of Object.entries(explicit)) {
    const node = nodes.find((entry) => entry.node.name === nodeName);
    const layer = layers.find((entry) => entry.path === path);
    if (node === undefined || layer === undefined) {
      throw new MappingError({
        code: 'MAPPING_UNKNOWN_LAYER',
        origin: ORIGIN,
        message:
          node === undefined
            ? `options.layers names ONNX node "${nodeName}", which is not a weighted node (weighted: ${nodes.map((entry) => entry.node.name).join(', ')})`
            : `options.layers names tfjs layer "${path}", which is not a weighted layer (weighted: ${layers.map((entry) => entry.path).join(', ')})`,
      });
    }
    pinned.set(node, layer);
  }
  const pinnedLayers = new Set(pinned.values());
  const freeNodes = nodes.filter((node) => !pinned.has(node));
  const freeLayers = layers.filter((layer) => !pinnedLayers.has(layer));
  if (freeNodes.length !== freeLayers.length) {
    throw new MappingError({
      code: 'MAPPING_LAYER_COUNT_MISMATCH',
      origin: ORIGIN,
      message: `the ONNX graph has ${freeNodes.length} weighted node(s) to pair but the tfjs model has ${freeLayers.length} weighted layer(s):\n  ONNX: ${freeNodes.map(describeOnnxNode).join(', ') || '(none)'}\n  tfjs: ${freeLayers.map(describeKerasLayer).join(', ') || '(none)'}`,
    });
  }
  let next = 0;
  return nodes.map((node) => ({ onnx: node, keras: pinned.get(node) ?? freeLayers[next++]! }));
}
