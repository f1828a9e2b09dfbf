import { MappingError } from '@reprokit/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { type KerasWeightedLayer, kerasWeightedLayers } from './keras-weighted-layers.js';
import { describeKerasLayer, type LayerPair, ORIGIN, pairError } from './layer-pair.js';
import { describeOnnxGraph, type OnnxGraphSource } from './onnx-graph-info.js';
import {
  describeOnnxNode,
  type OnnxWeightedKind,
  type OnnxWeightedNode,
  onnxWeightedNodes,
} from './onnx-weighted-nodes.js';

/** Which tfjs layer classes can take each ONNX node kind. */
const COMPATIBLE: Readonly<Record<OnnxWeightedKind, readonly string[]>> = {
  dense: ['Dense'],
  conv: ['Conv1D', 'Conv2D', 'Conv3D', 'DepthwiseConv2D', 'SeparableConv2D'],
  convTranspose: ['Conv2DTranspose', 'Conv3DTranspose'],
  batchNorm: ['BatchNormalization'],
  layerNorm: ['LayerNormalization'],
  embedding: ['Embedding'],
  lstm: ['LSTM'],
  gru: ['GRU'],
  prelu: ['PReLU'],
};

/**
 * Pairs the weighted nodes of an ONNX graph with the weighted layers of a tfjs model:
 * `explicit` pairs (ONNX node name -> tfjs layer path) first, the rest in order. Throws a
 * `MappingError` for unsupported tfjs layers, unknown explicit names, different counts and
 * layer classes that cannot take their node.
 *
 * @example
 * pairLayers(onnxBytes, model, { '/head/Gemm': 'head' }).map((pair) => pair.keras.path);
 */
export function pairLayers(
  onnx: OnnxGraphSource,
  model: LayersModel,
  explicit: Readonly<Record<string, string>>,
): LayerPair[] {
  const nodes = onnxWeightedNodes(describeOnnxGraph(onnx));
  const layers = kerasWeightedLayers(model);
  const supported = new Set(Object.values(COMPATIBLE).flat());
  for (const layer of layers) {
    if (!supported.has(layer.className)) {
      throw new MappingError({
        code: 'MAPPING_UNSUPPORTED_LAYER',
        origin: ORIGIN,
        message: `tfjs ${describeKerasLayer(layer)} has weights the preset cannot map (it maps ${[...supported].join(', ')})`,
      });
    }
  }
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
  // A SeparableConv2D is two ONNX nodes (depthwise Conv, then 1x1 Conv): it takes two.
  const takes = (layer: KerasWeightedLayer) => (layer.className === 'SeparableConv2D' ? 2 : 1);
  const claimed = new Set<OnnxWeightedNode>();
  const pairs: LayerPair[] = [];
  const addPair = (node: OnnxWeightedNode, layer: KerasWeightedLayer, second?: OnnxWeightedNode) =>
    pairs.push({ onnx: node, keras: layer, ...(second === undefined ? {} : { second }) });
  for (const [node, layer] of pinned) {
    const second = takes(layer) === 2 ? nodes[nodes.indexOf(node) + 1] : undefined;
    if (takes(layer) === 2 && (second === undefined || pinned.has(second))) {
      throw pairError(
        { onnx: node, keras: layer },
        'MAPPING_LAYER_MISMATCH',
        'a SeparableConv2D needs the depthwise Conv named in options.layers to be followed by its 1x1 Conv',
      );
    }
    claimed.add(node);
    if (second !== undefined) claimed.add(second);
    addPair(node, layer, second);
  }
  const pinnedLayers = new Set(pinned.values());
  const freeNodes = nodes.filter((node) => !claimed.has(node));
  const freeLayers = layers.filter((layer) => !pinnedLayers.has(layer));
  const needed = freeLayers.reduce((sum, layer) => sum + takes(layer), 0);
  if (freeNodes.length !== needed) {
    const separable = freeLayers.some((layer) => takes(layer) === 2)
      ? ' (a SeparableConv2D takes two: depthwise Conv, then 1x1 Conv)'
      : '';
    const kerasNorms = freeLayers.filter((layer) => layer.className === 'BatchNormalization');
    const onnxNorms = freeNodes.filter((node) => node.kind === 'batchNorm');
    // torch.onnx.export in eval mode (its default) fuses Conv + BatchNorm before writing.
    const folded =
      kerasNorms.length > onnxNorms.length
        ? `\n  the tfjs model has ${kerasNorms.length} BatchNormalization layer(s) but the ONNX graph ${onnxNorms.length} BatchNormalization node(s): PyTorch's default eval-mode export folds BatchNorm into the Conv before it; export with training=torch.onnx.TrainingMode.PRESERVE to keep them, or build the tfjs model without those BatchNormalization layers`
        : '';
    throw new MappingError({
      code: 'MAPPING_LAYER_COUNT_MISMATCH',
      origin: ORIGIN,
      message: `the ONNX graph has ${freeNodes.length} weighted node(s) to pair but the tfjs model's ${freeLayers.length} weighted layer(s) take ${needed}${separable}:\n  ONNX: ${freeNodes.map(describeOnnxNode).join(', ') || '(none)'}\n  tfjs: ${freeLayers.map(describeKerasLayer).join(', ') || '(none)'}${folded}`,
    });
  }
  let next = 0;
  for (const layer of freeLayers) {
    const node = freeNodes[next++]!;
    addPair(node, layer, takes(layer) === 2 ? freeNodes[next++] : undefined);
  }
  pairs.sort((a, b) => nodes.indexOf(a.onnx) - nodes.indexOf(b.onnx));
  for (const pair of pairs) {
    if (!COMPATIBLE[pair.onnx.kind].includes(pair.keras.className)) {
      throw pairError(
        pair,
        'MAPPING_LAYER_MISMATCH',
        `an ONNX ${pair.onnx.node.opType} cannot fill a tfjs ${pair.keras.className} (it fills ${COMPATIBLE[pair.onnx.kind].join(', ')}); check the layer order or pass options.layers`,
      );
    }
  }
  return pairs;
}
