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
  conv: ['Conv1D', 'Conv2D', 'Conv3D', 'DepthwiseConv2D'],
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
  const pairs = nodes.map((node) => ({
    onnx: node,
    keras: pinned.get(node) ?? freeLayers[next++]!,
  }));
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
