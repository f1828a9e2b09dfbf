import { autoLayerBaseName } from '@reprokit/tfjs/internal';
import { isContainer, type TfContainer, type TfLayer } from './tfjs-structure.js';

/**
 * Structural path of every layer of `model`, nested models included, with the naming scheme of
 * `@reprokit/tfjs` checkpoints (`dense`, `dense_1`, `encoder/conv2d`): node names and graph
 * input/output names then read like the checkpoint's weight names.
 */
export function structuralLayerPaths(model: TfContainer): Map<TfLayer, string> {
  const result = new Map<TfLayer, string>();
  const visit = (container: TfContainer, prefix: string) => {
    const counts = new Map<string, number>();
    for (const layer of container.layers) {
      const className = layer.getClassName();
      // tfjs names inputs `input1`, `input2` from a process-global counter.
      const base =
        className === 'InputLayer' && /^input\d+$/.test(layer.name)
          ? 'input'
          : autoLayerBaseName(layer.name, className);
      let name = layer.name;
      if (base !== undefined) {
        const count = counts.get(base) ?? 0;
        counts.set(base, count + 1);
        name = count === 0 ? base : `${base}_${count}`;
      }
      const path = `${prefix}${name}`;
      if (!result.has(layer)) result.set(layer, path);
      if (isContainer(layer)) visit(layer, `${path}/`);
    }
  };
  visit(model, '');
  return result;
}
