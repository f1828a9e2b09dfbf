import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto } from 'onnx-buf';
import { nodeLabel, qualifiedName, subgraphSegment } from './initializer-names.js';

export interface ModelVisitor {
  /** Return a replacement tensor, or `undefined` to keep it. */
  initializer?(
    tensor: TensorProto,
    name: string,
    graphPath: readonly string[],
  ): TensorProto | undefined;
  /** Return a replacement node, or `undefined` to keep it. `label` includes the graph path. */
  node?(node: NodeProto, label: string, graphPath: readonly string[]): NodeProto | undefined;
}

/**
 * A copy of a protobuf-es message with some fields replaced. proto2 messages keep field
 * presence on the prototype chain, so the copy must share the prototype (a spread would not).
 *
 * @example
 * const renamed = copyMessage(tensor, { name: 'fc.weight' }); // tensor itself is unchanged
 */
export function copyMessage<T extends object>(message: T, changes: Partial<T>): T {
  return Object.assign(Object.create(Object.getPrototypeOf(message)) as T, message, changes);
}

/**
 * Visit every initializer and node of the main graph and of every subgraph (If, Loop, Scan
 * bodies, nested), returning a model that shares every unchanged part with the input.
 * The input is never modified, so rewriting a 1 GB model copies only a few small objects.
 *
 * @example
 * const renamed = rewriteModel(proto, {
 *   node: (node) => (node.name === '' ? copyMessage(node, { name: node.opType }) : undefined),
 * });
 */
export function rewriteModel(model: ModelProto, visitor: ModelVisitor): ModelProto {
  if (model.graph === undefined) return model;
  const graph = rewriteGraph(model.graph, [], visitor);
  return graph === model.graph ? model : copyMessage(model, { graph });
}

/**
 * Call `visit` for every initializer of the model, with its qualified name and graph path.
 *
 * @example
 * forEachInitializer(proto, (tensor, name) => console.log(name, tensor.dims));
 */
export function forEachInitializer(
  model: ModelProto,
  visit: (tensor: TensorProto, name: string, graphPath: readonly string[]) => void,
): void {
  rewriteModel(model, {
    initializer(tensor, name, graphPath) {
      visit(tensor, name, graphPath);
      return undefined;
    },
  });
}

function rewriteGraph(
  graph: GraphProto,
  path: readonly string[],
  visitor: ModelVisitor,
): GraphProto {
  let initializersChanged = false;
  const initializer = graph.initializer.map((tensor) => {
    const replaced = visitor.initializer?.(tensor, qualifiedName(path, tensor.name), path);
    if (replaced === undefined || replaced === tensor) return tensor;
    initializersChanged = true;
    return replaced;
  });
  let nodesChanged = false;
  const node = graph.node.map((original, index) => {
    const label = nodeLabel(original.name, index);
    let current = original;
    let attributesChanged = false;
    const attribute = original.attribute.map((attr) => {
      const rewritten = rewriteAttribute(attr, label, path, visitor);
      if (rewritten !== attr) attributesChanged = true;
      return rewritten;
    });
    if (attributesChanged) current = copyMessage(current, { attribute });
    const replaced = visitor.node?.(current, qualifiedName(path, label), path);
    if (replaced !== undefined) current = replaced;
    if (current !== original) nodesChanged = true;
    return current;
  });
  if (!initializersChanged && !nodesChanged) return graph;
  return copyMessage(graph, {
    ...(initializersChanged ? { initializer } : {}),
    ...(nodesChanged ? { node } : {}),
  });
}

function rewriteAttribute(
  attr: AttributeProto,
  label: string,
  path: readonly string[],
  visitor: ModelVisitor,
): AttributeProto {
  let result = attr;
  if (attr.g !== undefined) {
    const g = rewriteGraph(attr.g, [...path, subgraphSegment(label, attr.name)], visitor);
    if (g !== attr.g) result = copyMessage(result, { g });
  }
  if (attr.graphs.length > 0) {
    let changed = false;
    const graphs = attr.graphs.map((graph, index) => {
      const rewritten = rewriteGraph(
        graph,
        [...path, subgraphSegment(label, attr.name, index)],
        visitor,
      );
      if (rewritten !== graph) changed = true;
      return rewritten;
    });
    if (changed) result = copyMessage(result, { graphs });
  }
  return result;
}
