import {
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  type MappingStep,
  type TensorSpec,
  type WeightMapping,
} from '@reprokit/core';
import { KerasError } from '../errors/keras-error.js';
import { KERAS_METADATA_KEYS, type KerasLayerInfo } from '../read/keras-layout.js';
import { isNonTrainableWeight } from '../read/layer-variables.js';

interface OrderedLayer {
  readonly name: string;
  readonly tensors: string[];
}

/**
 * A `WeightMapping` that loads a Keras checkpoint into a model by layer order, the way Keras'
 * legacy `load_weights('x.h5')` does: the k-th layer with weights in the file goes to the k-th
 * layer with weights in the model, and within a layer the weights go in order (a nested model's
 * trainable weights first, then its non-trainable ones, as Keras saves them). Names do not have
 * to match, so a file whose layers were named differently (`dense_4`, user names) still loads.
 * Layer counts, weight counts and shapes are checked first: `KERAS_LAYER_COUNT_MISMATCH`,
 * `KERAS_WEIGHT_COUNT_MISMATCH` and `KERAS_SHAPE_MISMATCH` name the layer and the weight, and
 * nothing is loaded. Keras 3 `.weights.h5` files are matched by names in Keras 3 itself; use this
 * for them only when `readKeras` had the model config (a `.keras` archive), which gives the order.
 *
 * @example
 * const checkpoint = await readKeras(bytes);
 * await tfjsCheckpoint(tf).write(model, checkpoint, { mapping: kerasLayerOrder() });
 */
export function kerasLayerOrder(): WeightMapping {
  return {
    name: 'keras-layer-order',
    map(checkpoint: Checkpoint, target: ReadonlyMap<string, TensorSpec>) {
      const source = sourceLayers(checkpoint);
      const model = targetLayers(target);
      if (source.length !== model.length) {
        throw new KerasError({
          code: 'KERAS_LAYER_COUNT_MISMATCH',
          message: `the model has ${model.length} layers with weights (${model.map((l) => l.name).join(', ')}), the file ${source.length} (${source.map((l) => l.name).join(', ')})`,
        });
      }
      const tensors: Array<[string, CheckpointTensor]> = [];
      const steps: MappingStep[] = [];
      const mapped = new Set<string>();
      source.forEach((fileLayer, index) => {
        const modelLayer = model[index]!;
        if (fileLayer.tensors.length !== modelLayer.tensors.length) {
          throw new KerasError({
            code: 'KERAS_WEIGHT_COUNT_MISMATCH',
            message: `layer #${index} ("${modelLayer.name}" in the model, "${fileLayer.name}" in the file): the model expects ${modelLayer.tensors.length} weight(s) (${modelLayer.tensors.join(', ')}), the file has ${fileLayer.tensors.length} (${fileLayer.tensors.join(', ')})`,
            layer: fileLayer.name,
          });
        }
        fileLayer.tensors.forEach((name, position) => {
          const to = modelLayer.tensors[position]!;
          const tensor = checkpoint.tensors.get(name)!;
          const wanted = target.get(to)!;
          if (!sameShape(tensor.shape, wanted.shape)) {
            throw new KerasError({
              code: 'KERAS_SHAPE_MISMATCH',
              message: `layer #${index} ("${modelLayer.name}" in the model): weight "${to}" is [${wanted.shape.join(',')}], the file's "${name}" is [${tensor.shape.join(',')}]`,
              layer: fileLayer.name,
              tensor: name,
            });
          }
          tensors.push([to, tensor]);
          mapped.add(name);
          if (to !== name)
            steps.push({ from: [name], to, transform: 'rename (Keras layer order)' });
        });
      });
      // Tensors outside the layers (optimizer state) pass through under their own names.
      for (const [name, tensor] of checkpoint.tensors) {
        if (!mapped.has(name)) tensors.push([name, tensor]);
      }
      return { checkpoint: createCheckpoint(tensors, checkpoint.metadata), steps };
    },
  };
}

/** The file's layers in Keras' order: as `readKeras` recorded them, else by first name segment. */
function sourceLayers(checkpoint: Checkpoint): OrderedLayer[] {
  const recorded = checkpoint.metadata.get(KERAS_METADATA_KEYS.layers);
  if (recorded !== undefined) {
    try {
      const layers = (JSON.parse(recorded) as KerasLayerInfo[])
        .map((layer) => ({
          name: layer.kerasName,
          tensors: layer.tensors.filter((name) => checkpoint.tensors.has(name)),
        }))
        .filter((layer) => layer.tensors.length > 0);
      if (layers.length > 0) return layers;
    } catch {
      // Not ours: group by name below.
    }
  }
  return groupByLayer(
    [...checkpoint.tensors.keys()].filter((name) => !name.startsWith('optimizer/')),
  );
}

/** The model's layers in order, each layer's weights in Keras' saved order. */
function targetLayers(target: ReadonlyMap<string, TensorSpec>): OrderedLayer[] {
  return groupByLayer([...target.keys()]).map((layer) => ({
    name: layer.name,
    tensors: [
      ...layer.tensors.filter((name) => !isNonTrainableWeight(name.split('/').at(-1)!)),
      ...layer.tensors.filter((name) => isNonTrainableWeight(name.split('/').at(-1)!)),
    ],
  }));
}

function groupByLayer(names: readonly string[]): OrderedLayer[] {
  const layers = new Map<string, string[]>();
  for (const name of names) {
    const layer = name.includes('/') ? name.slice(0, name.indexOf('/')) : '';
    const list = layers.get(layer) ?? [];
    list.push(name);
    layers.set(layer, list);
  }
  return [...layers].map(([name, tensors]) => ({ name, tensors }));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, index) => dim === b[index]);
}
