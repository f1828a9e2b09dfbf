import type { ModelProto, NodeProto } from 'onnx-buf';
import { rewriteModel } from './rewrite-model.js';

/**
 * Why an initializer is kept inside the model although its weights could go to external data:
 *
 * - `subgraph`: it belongs to an If/Loop/Scan body. ONNX Runtime 1.30 cannot resolve in-memory
 *   external data (`externalData` session option) for subgraph initializers ("should be stored
 *   in ..., but it is not regular file"), and from a path its shape inference of the subgraph
 *   cannot read external ones ("Cannot parse data from external tensors").
 * - `shape-input`: a node reads it where ONNX shape inference needs the values (Reshape's shape,
 *   Squeeze's axes, ...), in the main graph or from a subgraph; ORT refuses such a model from a
 *   path and from bytes alike ("Cannot parse data from external tensors").
 * - `control-flow-input`: an input of an If/Loop/Scan node; its values reach the body's shape
 *   inference, and ORT's If folding reads a constant condition from the wrong folder.
 *
 * All measured with onnxruntime-node 1.30 on models built with the onnx Python package
 * (test/fixtures/onnx-python).
 */
export type KeptEmbeddedReason = 'subgraph' | 'shape-input' | 'control-flow-input';

/**
 * Inputs (by index) whose values ONNX shape inference reads (`getInputData` in the ONNX 1.20
 * operator definitions), for the ops of the default domain. Opset versions that take the same
 * value as an attribute have no such input, so listing the index is harmless there.
 */
const SHAPE_INPUTS: ReadonlyMap<string, readonly number[]> = new Map([
  ['Reshape', [1]],
  ['Expand', [1]],
  ['ConstantOfShape', [0]],
  ['Squeeze', [1]],
  ['Unsqueeze', [1]],
  ['Tile', [1]],
  ['Slice', [1, 2, 3, 4]],
  ['Pad', [1, 3]],
  ['Split', [1]],
  ['SplitToSequence', [1]],
  ['Resize', [1, 2, 3]],
  ['Upsample', [1]],
  ['TopK', [1]],
  ['OneHot', [0, 1]],
  ['Range', [0, 1, 2]],
  ['CenterCropPad', [1]],
  ['Col2Im', [1, 2]],
  ['AffineGrid', [1]],
  ['DFT', [1, 2]],
  ['STFT', [1, 3]],
  ['MelWeightMatrix', [0, 1]],
  ['HannWindow', [0]],
  ['HammingWindow', [0]],
  ['BlackmanWindow', [0]],
  ...[
    'ReduceSum',
    'ReduceMean',
    'ReduceMax',
    'ReduceMin',
    'ReduceProd',
    'ReduceL1',
    'ReduceL2',
    'ReduceLogSum',
    'ReduceLogSumExp',
    'ReduceSumSquare',
  ].map((op): [string, number[]] => [op, [1]]),
]);

const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);

/**
 * The initializers of a model that must stay embedded for ONNX Runtime to load it with the
 * rest of its weights in external data (see `KeptEmbeddedReason`), by checkpoint name.
 *
 * @example
 * initializersKeptEmbedded(model.proto); // Map { 'reshape_shape' => 'shape-input', 'cond.then_branch::w' => 'subgraph' }
 */
export function initializersKeptEmbedded(proto: ModelProto): Map<string, KeptEmbeddedReason> {
  const main = new Set(proto.graph?.initializer.map((tensor) => tensor.name) ?? []);
  const kept = new Map<string, KeptEmbeddedReason>();
  rewriteModel(proto, {
    initializer(_tensor, name, graphPath) {
      if (graphPath.length > 0) kept.set(name, 'subgraph');
      return undefined;
    },
    // Nodes of subgraphs too: a body may read a main-graph initializer (outer scope). A name
    // that a subgraph declares again is counted as well: keeping one more embedded is harmless.
    node(node) {
      for (const [index, reason] of inputsOrtReads(node)) {
        const input = node.input[index] ?? '';
        if (main.has(input) && !kept.has(input)) kept.set(input, reason);
      }
      return undefined;
    },
  });
  return kept;
}

function inputsOrtReads(node: NodeProto): Array<[number, KeptEmbeddedReason]> {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return [];
  if (CONTROL_FLOW.has(node.opType)) {
    return node.input.map((_, index): [number, KeptEmbeddedReason] => [
      index,
      'control-flow-input',
    ]);
  }
  return (SHAPE_INPUTS.get(node.opType) ?? []).map((index) => [index, 'shape-input']);
}
