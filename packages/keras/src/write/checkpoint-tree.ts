import type { CheckpointTensor } from '@reprokit/core';

/** A tensor at its place in the tree: its checkpoint name and its last name segment. */
export interface TreeTensor {
  readonly name: string;
  readonly short: string;
  readonly tensor: CheckpointTensor;
}

/**
 * A checkpoint's names as a tree of layers: `encoder/dense/kernel` is tensor `kernel` of node
 * `dense` under node `encoder`. A node's `tensors` are its own weights; its `children` are inner
 * layers (nested models) or a Bidirectional layer's `forward_*` / `backward_*` halves.
 */
export interface LayerNode {
  readonly name: string;
  /** Structural path from the top (`encoder/dense`). */
  readonly path: string;
  readonly tensors: TreeTensor[];
  readonly children: Map<string, LayerNode>;
}

/**
 * Builds the tree of `tensors`, keeping first-appearance order at every level. The root's own
 * tensors are names with a single segment (weights of the model itself).
 *
 * @example
 * checkpointTree([['dense/kernel', t], ['dense/bias', u]]).children.get('dense')?.tensors.length; // 2
 */
export function checkpointTree(tensors: Iterable<readonly [string, CheckpointTensor]>): LayerNode {
  const root: LayerNode = { name: '', path: '', tensors: [], children: new Map() };
  for (const [name, tensor] of tensors) {
    const segments = name.split('/');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = {
          name: segment,
          path: node.path === '' ? segment : `${node.path}/${segment}`,
          tensors: [],
          children: new Map(),
        };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.tensors.push({ name, short: segments.at(-1)!, tensor });
  }
  return root;
}

/** Whether a child node is one half of a Bidirectional layer. */
export function isDirection(node: LayerNode): boolean {
  return /^(forward|backward)_/.test(node.name);
}

/** Every tensor of a node and its descendants, depth first in order. */
export function allTensors(node: LayerNode): TreeTensor[] {
  return [...node.tensors, ...[...node.children.values()].flatMap(allTensors)];
}
