import { MappingError, type TensorSpec } from '@reprokit/core';
import { intAttribute, type OnnxGraphInfo, type OnnxNodeInfo } from './onnx-graph-info.js';

/** The kinds of ONNX nodes that carry weights a Keras layer can take. */
export type OnnxWeightedKind =
  | 'dense'
  | 'conv'
  | 'convTranspose'
  | 'batchNorm'
  | 'layerNorm'
  | 'embedding'
  | 'lstm'
  | 'gru'
  | 'prelu';

/** An initializer feeding a node input, possibly through Identity, Cast and 2-D Transpose nodes. */
export interface OnnxWeightRef extends TensorSpec {
  readonly name: string;
  /** True when an odd number of 2-D Transpose nodes sit between initializer and node. */
  readonly transposed: boolean;
}

/** One weighted ONNX node (a MatMul with its bias Add counts as one). */
export interface OnnxWeightedNode {
  readonly kind: OnnxWeightedKind;
  readonly node: OnnxNodeInfo;
  /** Initializers by role: `weight`, `bias`, `scale`, `mean`, `variance`, `recurrence`, `peephole`. */
  readonly weights: ReadonlyMap<string, OnnxWeightRef>;
  /** Dense only: true when the stored weight is `[out, in]` (PyTorch Linear, Gemm transB=1). */
  readonly outputMajor?: boolean;
}

const ORIGIN = 'tfjs-onnx';

/** Nodes that carry learned weights the preset cannot map: refused, never silently dropped. */
const UNSUPPORTED_WEIGHTED = new Set([
  'InstanceNormalization',
  'GroupNormalization',
  'RNN',
  'DeformConv',
]);

/**
 * The weighted nodes of an ONNX graph in file order (which ONNX requires to be
 * topological). A MatMul with an initializer operand is a Dense, and an Add right after it
 * with an initializer is its bias; a Gather whose data is a 2-D initializer is an Embedding.
 * Nodes of other types are skipped, except weighted ones the preset cannot map
 * (InstanceNormalization, GroupNormalization, RNN), which throw `MAPPING_UNSUPPORTED_NODE`. A Gemm whose weight is not an initializer (so its
 * layout cannot be known) throws `MAPPING_UNRESOLVED_WEIGHT`.
 *
 * @example
 * onnxWeightedNodes(graph).map((entry) => `${entry.node.opType} ${entry.node.name}`);
 */
export function onnxWeightedNodes(graph: OnnxGraphInfo): OnnxWeightedNode[] {
  const producers = new Map<string, OnnxNodeInfo>();
  const consumers = new Map<string, OnnxNodeInfo[]>();
  for (const node of graph.nodes) {
    for (const output of node.outputs) producers.set(output, node);
    for (const input of node.inputs) {
      const list = consumers.get(input) ?? [];
      list.push(node);
      consumers.set(input, list);
    }
  }
  const resolve = (name: string | undefined, transposed = false): OnnxWeightRef | undefined => {
    if (name === undefined || name === '') return undefined;
    const spec = graph.initializers.get(name);
    if (spec !== undefined) return { name, transposed, ...spec };
    const producer = producers.get(name);
    // Cast: half-precision exports store F16 weights and cast them; the loader converts dtypes.
    if (producer?.opType === 'Identity' || producer?.opType === 'Cast') {
      return resolve(producer.inputs[0], transposed);
    }
    if (producer?.opType === 'Transpose') {
      const perm = producer.attributes.get('perm');
      const swaps = perm === undefined || (Array.isArray(perm) && perm.join(',') === '1,0');
      if (swaps) {
        const inner = resolve(producer.inputs[0], !transposed);
        if (inner !== undefined && inner.shape.length === 2) return inner;
      }
    }
    return undefined;
  };

  const result: OnnxWeightedNode[] = [];
  const biasAdds = new Set<OnnxNodeInfo>();
  for (const node of graph.nodes) {
    if (biasAdds.has(node)) continue;
    const weights = new Map<string, OnnxWeightRef>();
    const set = (role: string, name: string | undefined) => {
      const ref = resolve(name);
      if (ref !== undefined) weights.set(role, ref);
      return ref;
    };
    switch (node.opType) {
      case 'Gemm': {
        const weight = set('weight', node.inputs[1]);
        if (weight === undefined) {
          throw new MappingError({
            code: 'MAPPING_UNRESOLVED_WEIGHT',
            origin: ORIGIN,
            message: `Gemm "${node.name}" takes its B input "${node.inputs[1]}" from a computation, not an initializer, so its layout ([out,in] or [in,out]) cannot be known`,
            tensor: node.inputs[1] ?? '',
          });
        }
        set('bias', node.inputs[2]);
        const transB = intAttribute(node, 'transB', 0) === 1;
        result.push({ kind: 'dense', node, weights, outputMajor: transB !== weight.transposed });
        break;
      }
      case 'MatMul': {
        const weight = set('weight', node.inputs[1]);
        if (weight === undefined || weight.shape.length !== 2) break;
        const add = (consumers.get(node.outputs[0] ?? '') ?? []).find((c) => c.opType === 'Add');
        if (add !== undefined) {
          const other = add.inputs.find((input) => input !== node.outputs[0]);
          const bias = resolve(other);
          if (bias !== undefined) {
            weights.set('bias', bias);
            biasAdds.add(add);
          }
        }
        result.push({ kind: 'dense', node, weights, outputMajor: weight.transposed });
        break;
      }
      case 'Conv':
      case 'ConvTranspose':
        if (set('weight', node.inputs[1]) === undefined) break;
        set('bias', node.inputs[2]);
        result.push({ kind: node.opType === 'Conv' ? 'conv' : 'convTranspose', node, weights });
        break;
      case 'BatchNormalization':
        if (set('scale', node.inputs[1]) === undefined) break;
        set('bias', node.inputs[2]);
        set('mean', node.inputs[3]);
        set('variance', node.inputs[4]);
        result.push({ kind: 'batchNorm', node, weights });
        break;
      case 'LayerNormalization':
        if (set('scale', node.inputs[1]) === undefined) break;
        set('bias', node.inputs[2]);
        result.push({ kind: 'layerNorm', node, weights });
        break;
      case 'Gather': {
        const table = resolve(node.inputs[0]);
        if (
          table === undefined ||
          table.shape.length !== 2 ||
          resolve(node.inputs[1]) !== undefined
        ) {
          break;
        }
        weights.set('weight', table);
        result.push({ kind: 'embedding', node, weights });
        break;
      }
      case 'PRelu':
        if (set('weight', node.inputs[1]) === undefined) break;
        result.push({ kind: 'prelu', node, weights });
        break;
      case 'LSTM':
      case 'GRU':
        if (set('weight', node.inputs[1]) === undefined) break;
        set('recurrence', node.inputs[2]);
        set('bias', node.inputs[3]);
        if (node.opType === 'LSTM') set('peephole', node.inputs[7]);
        result.push({ kind: node.opType === 'LSTM' ? 'lstm' : 'gru', node, weights });
        break;
      default:
        if (UNSUPPORTED_WEIGHTED.has(node.opType) && node.inputs.some((input) => resolve(input))) {
          throw new MappingError({
            code: 'MAPPING_UNSUPPORTED_NODE',
            origin: ORIGIN,
            message: `${node.opType} "${node.name}" has weights the preset does not map (it maps Gemm, MatMul, Conv, ConvTranspose, BatchNormalization, LayerNormalization, Gather, PRelu, LSTM, GRU)`,
          });
        }
        break;
    }
  }
  return result;
}

/** `Gemm "fc1"`, for messages. */
export function describeOnnxNode(entry: OnnxWeightedNode): string {
  return `${entry.node.opType} "${entry.node.name}"`;
}
