import type { LayersModel } from '@tensorflow/tfjs';
import { keraStyleLayerNames, type LayerNode, weightSuffix } from './structural-names.js';
import { TfjsError } from './tfjs-error.js';

/** A layer of a live model, as far as naming needs it. */
type LiveLayer = LayersModel['layers'][number];
/** One of a model's variables (`tf.LayerVariable`). */
export type TfjsWeight = LayersModel['weights'][number];

/** A model weight with its structural checkpoint name. */
export interface CheckpointWeight {
  /** Structural name, e.g. `encoder/dense_1/kernel`. */
  readonly name: string;
  /** The tfjs variable (its `name` carries tfjs' process-global counters). */
  readonly variable: TfjsWeight;
}

/**
 * Every weight of `model` (trainable and not, nested models included) with its structural
 * checkpoint name, in layer order and, within a layer, in the layer's own weight order.
 *
 * @example
 * checkpointWeights(model).map((w) => w.name); // ['dense/kernel', 'dense/bias', 'dense_1/kernel', ...]
 */
export function checkpointWeights(model: LayersModel): CheckpointWeight[] {
  const result: CheckpointWeight[] = [];
  const seenVariables = new Set<TfjsWeight>();
  const byName = new Map<string, TfjsWeight>();
  collect(model.layers, '', result, seenVariables, byName);
  return result;
}

/**
 * The checkpoint name of every weight of `model`, keyed by the tfjs variable name
 * (`weight.name`, e.g. `dense_Dense3/kernel`), in model order.
 *
 * The scheme: `<layer path>/<weight short name>`. A layer whose name tfjs generated
 * (`dense_Dense3`) is named Keras-style within its model: `dense`, then `dense_1`, `dense_2`
 * for the next auto-named Dense layers; a user-given name is kept. Nested models add
 * their own segment (`encoder/dense/kernel`). The short name is what follows the layer's name
 * in the variable's original name, with tfjs counters removed from inner wrapper layers
 * (`bidirectional/forward_lstm/kernel`). Two identical models built in one process get
 * identical names; a name used twice throws `TFJS_DUPLICATE_WEIGHT_NAME`.
 *
 * @example
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * checkpointWeightNames(model); // Map { 'dense_Dense1/kernel' => 'dense/kernel', 'dense_Dense1/bias' => 'dense/bias' }
 */
export function checkpointWeightNames(model: LayersModel): Map<string, string> {
  return new Map(checkpointWeights(model).map((weight) => [weight.variable.name, weight.name]));
}

function collect(
  layers: readonly LiveLayer[],
  prefix: string,
  out: CheckpointWeight[],
  seenVariables: Set<TfjsWeight>,
  byName: Map<string, TfjsWeight>,
): void {
  const nodes: LayerNode[] = layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
  }));
  const names = keraStyleLayerNames(nodes);
  layers.forEach((layer, index) => {
    const path = `${prefix}${names[index]!}`;
    const inner = nestedLayers(layer);
    if (inner !== undefined) {
      collect(inner, `${path}/`, out, seenVariables, byName);
      return;
    }
    for (const variable of layer.weights) {
      // A layer shared by two nested models lists the same variable twice: keep the first.
      if (seenVariables.has(variable)) continue;
      seenVariables.add(variable);
      const name = `${path}/${weightSuffix(variable.originalName, layer.name)}`;
      const other = byName.get(name);
      if (other !== undefined) {
        throw new TfjsError({
          code: 'TFJS_DUPLICATE_WEIGHT_NAME',
          message: `two weights get the checkpoint name "${name}" (tfjs variables "${other.name}" and "${variable.name}"); give the layers distinct names`,
          tensor: name,
        });
      }
      byName.set(name, variable);
      out.push({ name, variable });
    }
  });
}

function nestedLayers(layer: LiveLayer): readonly LiveLayer[] | undefined {
  const candidate = (layer as unknown as { layers?: unknown }).layers;
  return Array.isArray(candidate) ? (candidate as LiveLayer[]) : undefined;
}
