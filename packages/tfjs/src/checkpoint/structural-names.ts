/**
 * The naming scheme shared by live models (`checkpointWeightNames`) and saved topologies
 * (`topologyWeightNames`). Kept free of the tfjs runtime so artifact parsing and the CLI
 * can use it.
 */

/** A layer as the naming scheme sees it: its name, its class, and its own layers if it is a model. */
export interface LayerNode {
  readonly name: string;
  readonly className: string;
  readonly children?: readonly LayerNode[] | undefined;
}

/**
 * snake_case of a class name, the way tfjs-layers (and Keras) derive a layer's name prefix:
 * `Dense` -> `dense`, `BatchNormalization` -> `batch_normalization`, `Conv2D` -> `conv2d`.
 *
 * @example
 * tfjsSnakeCase('DepthwiseConv2D'); // 'depthwise_conv2d'
 */
export function tfjsSnakeCase(className: string): string {
  const intermediate = className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2');
  const snake = intermediate.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  return snake.startsWith('_') ? `private${snake}` : snake;
}

const containerClasses = new Set(['Sequential', 'Model', 'Functional', 'LayersModel']);

/**
 * The Keras-style base name if `name` is one tfjs generated for a layer of `className`,
 * else `undefined`. Layers get `<snake>_<ClassName><N>` (`dense_Dense3`); models get
 * `<classname><N>` or `<classname>_<N>` (`model1`, `sequential_2`).
 */
export function autoLayerBaseName(name: string, className: string): string | undefined {
  const snake = tfjsSnakeCase(className);
  if (name.startsWith(`${snake}_${className}`)) {
    const counter = name.slice(snake.length + 1 + className.length);
    if (/^\d+$/.test(counter)) return snake;
  }
  if (containerClasses.has(className)) {
    const lower = className.toLowerCase();
    if (new RegExp(`^${lower}_?\\d+$`).test(name)) return snake;
  }
  return undefined;
}

/**
 * Names for the layers of one model, in order: a user-given name is kept; an auto-generated
 * one becomes its Keras-style base (`dense`), then `dense_1`, `dense_2` for the next
 * auto-named layers of the same base in this model.
 */
export function keraStyleLayerNames(layers: readonly LayerNode[]): string[] {
  const seen = new Map<string, number>();
  return layers.map((layer) => {
    const base = autoLayerBaseName(layer.name, layer.className);
    if (base === undefined) return layer.name;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count}`;
  });
}

/**
 * The part of a variable name after its layer, with tfjs' counters removed from inner layer
 * names (Bidirectional's `forward_lstm_LSTM1` becomes `forward_lstm`).
 */
export function normaliseWeightSuffix(segments: readonly string[]): string {
  return segments.map(stripAutoSuffix).join('/');
}

function stripAutoSuffix(segment: string): string {
  const match = /^(.*)_([A-Z][A-Za-z0-9]*?)(\d+)$/.exec(segment);
  if (match === null) return segment;
  const [, head, className] = match as unknown as [string, string, string];
  const snake = tfjsSnakeCase(className);
  return head === snake || head.endsWith(`_${snake}`) ? head : segment;
}

/**
 * Split a tfjs variable's original name (`sequential_1/dense_Dense1/kernel`) at its layer:
 * everything after the last segment equal to `layerName` is the weight's own part.
 * Falls back to the last segment when the layer's name does not occur.
 */
export function weightSuffix(originalName: string, layerName: string): string {
  if (layerName.includes('/') && originalName.startsWith(`${layerName}/`)) {
    return normaliseWeightSuffix(originalName.slice(layerName.length + 1).split('/'));
  }
  const segments = originalName.split('/');
  const index = segments.lastIndexOf(layerName);
  const own =
    index >= 0 && index < segments.length - 1 ? segments.slice(index + 1) : segments.slice(-1);
  return normaliseWeightSuffix(own);
}
