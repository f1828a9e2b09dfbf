import { KerasError } from '../errors/keras-error.js';
import { automaticBaseName, kerasSnakeCase } from '../read/keras-names.js';
import { isDirection, type LayerNode } from './checkpoint-tree.js';

/** Snake-case class names of recurrent layers and their cells. */
export const RNN_CELLS: Readonly<Record<string, string>> = {
  lstm: 'lstm_cell',
  gru: 'gru_cell',
  simple_rnn: 'simple_rnn_cell',
};

/** Where a layer's class can come from, most trusted first. */
export interface ClassSources {
  /** `EncodeKerasOptions.layerClasses`: structural layer path -> Keras class (`Dense` or `dense`). */
  readonly given?: Readonly<Record<string, string>> | undefined;
  /** Classes recorded by `readKeras` in the checkpoint metadata, by structural path. */
  readonly recorded: ReadonlyMap<string, string>;
}

/**
 * The snake-case Keras class of a layer node (`dense`, `lstm`, `sequential`), or `undefined`
 * when nothing tells it. From, in order: the caller's `layerClasses`; the class `readKeras`
 * recorded; an automatic name (`dense_2` is a Dense); the weights, where they leave no doubt
 * (an `embeddings` matrix, BatchNormalization's moving statistics, a recurrent kernel whose
 * width gives the gate count, a rank-2 kernel of a Dense, a Bidirectional's halves).
 *
 * @example
 * layerClassOf(node, { recorded: new Map() }); // 'dense' for node `head` with kernel [3,2], bias [2]
 */
export function layerClassOf(node: LayerNode, sources: ClassSources): string | undefined {
  const given = sources.given?.[node.path] ?? sources.recorded.get(node.path);
  if (given !== undefined) return kerasSnakeCase(given);
  return automaticBaseName(node.name) ?? inferFromWeights(node);
}

/** Like `layerClassOf`, but a typed error naming the layer when the class is needed and unknown. */
export function requireLayerClass(node: LayerNode, sources: ClassSources): string {
  const found = layerClassOf(node, sources);
  if (found !== undefined) return found;
  throw new KerasError({
    code: 'KERAS_UNKNOWN_LAYER_CLASS',
    message: `the Keras 3 layout names groups by layer class, and nothing tells the class of "${node.path}": pass it in options.layerClasses (for example { '${node.path}': 'Conv2D' })`,
    layer: node.path,
  });
}

function inferFromWeights(node: LayerNode): string | undefined {
  const children = [...node.children.values()];
  if (children.length > 0) {
    return children.every(isDirection) && node.tensors.length === 0 ? 'bidirectional' : undefined;
  }
  const byShort = new Map(node.tensors.map((entry) => [entry.short, entry.tensor]));
  const shorts = [...byShort.keys()].sort().join(',');
  if (shorts === 'embeddings') return 'embedding';
  if (shorts === 'alpha') return 'p_re_lu';
  if (byShort.has('moving_mean') && byShort.has('moving_variance')) return 'batch_normalization';
  if (shorts === 'beta,gamma' || shorts === 'gamma') return 'layer_normalization';
  const recurrent = byShort.get('recurrent_kernel');
  if (recurrent !== undefined && recurrent.shape.length === 2 && recurrent.shape[0]! > 0) {
    const gates = recurrent.shape[1]! / recurrent.shape[0]!;
    return gates === 4 ? 'lstm' : gates === 3 ? 'gru' : gates === 1 ? 'simple_rnn' : undefined;
  }
  const kernel = byShort.get('kernel');
  if (
    kernel !== undefined &&
    kernel.shape.length === 2 &&
    (shorts === 'kernel' || shorts === 'bias,kernel')
  ) {
    return 'dense';
  }
  return undefined;
}
