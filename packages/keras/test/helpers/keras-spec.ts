import { checkpointWeights } from '@reprokit/tfjs/internal';
import type * as tf from '@tensorflow/tfjs';

type Layer = tf.LayersModel['layers'][number];

/** What keras_load_check.py keras2 needs: top-level layers and their weights, in model order. */
export interface Keras2Spec {
  layers: Array<{
    name: string;
    weights: Array<{ shape: number[]; trainable: boolean; name: string }>;
  }>;
  top_level: never[];
}

/** A Keras 3 saveable, as keras_load_check.py keras3 walks it. */
export interface Keras3Saveable {
  class: string;
  vars: number[][];
  layers?: Keras3Saveable[];
  attrs?: Record<string, Keras3Saveable>;
}

/**
 * The Keras models matching a tfjs model, for the Python loader: `keras2` lists each top-level
 * layer's weights (with the structural checkpoint name each one must receive); `keras3` is the
 * saveable tree Keras 3 walks, plus the checkpoint name of every variable path.
 */
export function kerasSpecs(model: tf.LayersModel): {
  keras2: Keras2Spec;
  keras3: Keras3Saveable;
  variablePaths: Map<string, string>;
} {
  const structural = new Map(
    checkpointWeights(model).map((weight) => [weight.variable, weight.name]),
  );
  const nameOf = (variable: unknown) => structural.get(variable as never)!;
  const keras2: Keras2Spec = {
    layers: model.layers.map((layer) => ({
      name: layer.name,
      weights: layer.weights.map((weight) => ({
        shape: weight.shape as number[],
        trainable: weight.trainable,
        name: nameOf(weight),
      })),
    })),
    top_level: [],
  };
  const variablePaths = new Map<string, string>();
  const saveable = (layer: Layer, path: string): Keras3Saveable => {
    const className = kerasClass(layer.getClassName());
    const inner = (layer as unknown as { layers?: Layer[] }).layers;
    const vars = (weights: readonly tf.LayerVariable[], at: string) => {
      weights.forEach((weight, index) => {
        variablePaths.set(`${at}/vars/${index}`, nameOf(weight));
      });
      return weights.map((weight) => weight.shape as number[]);
    };
    if (Array.isArray(inner)) {
      return { class: className, vars: [], layers: container(inner, `${path}/layers`) };
    }
    if (['LSTM', 'GRU', 'SimpleRNN'].includes(className)) {
      return {
        class: className,
        vars: [],
        attrs: { cell: { class: `${className}Cell`, vars: vars(layer.weights, `${path}/cell`) } },
      };
    }
    if (className === 'Bidirectional') {
      const half = layer.weights.length / 2;
      const rnn = (layer as unknown as { forwardLayer: Layer }).forwardLayer.getClassName();
      const side = (name: string, weights: readonly tf.LayerVariable[]): Keras3Saveable => ({
        class: rnn,
        vars: [],
        attrs: { cell: { class: `${rnn}Cell`, vars: vars(weights, `${path}/${name}/cell`) } },
      });
      return {
        class: className,
        vars: [],
        attrs: {
          forward_layer: side('forward_layer', layer.weights.slice(0, half)),
          backward_layer: side('backward_layer', layer.weights.slice(half)),
        },
      };
    }
    if (className === 'TimeDistributed') {
      const wrapped = (layer as unknown as { layer: Layer }).layer;
      return {
        class: className,
        vars: [],
        attrs: {
          layer: { class: wrapped.getClassName(), vars: vars(layer.weights, `${path}/layer`) },
        },
      };
    }
    return { class: className, vars: vars(layer.weights, path) };
  };
  const container = (layers: readonly Layer[], at: string): Keras3Saveable[] => {
    const used = new Map<string, number>();
    return layers.map((layer) => {
      const snake = snakeCase(kerasClass(layer.getClassName()));
      const count = used.get(snake);
      used.set(snake, (count ?? -1) + 1);
      return saveable(layer, `${at}/${count === undefined ? snake : `${snake}_${count + 1}`}`);
    });
  };
  const keras3: Keras3Saveable = {
    class: kerasClass(model.getClassName()),
    vars: [],
    layers: container(model.layers, 'layers'),
  };
  return { keras2, keras3, variablePaths };
}

/** tfjs functional models are `Model`; Keras 3 calls them `Functional`. */
function kerasClass(className: string): string {
  return className === 'Model' ? 'Functional' : className;
}

function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
