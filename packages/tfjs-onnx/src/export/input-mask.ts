import type { TfLayer, TfSymbolicTensor } from './tfjs-structure.js';

/** Whether `layer` computes a Keras mask from its input values. */
function makesMask(layer: TfLayer): boolean {
  const className = layer.getClassName();
  return (
    className === 'Masking' || (className === 'Embedding' && layer.getConfig().maskZero === true)
  );
}

/**
 * Whether tfjs hands a Keras mask to some call of `layer`: a Masking layer or an Embedding with
 * `maskZero` upstream, reached through layers that pass masks on (`supportsMasking`). The walk is
 * conservative: every mask-supporting layer is taken to pass its mask on (a recurrent layer that
 * would drop it is refused itself, as it receives the mask).
 */
export function receivesMask(layer: TfLayer): boolean {
  const seen = new Set<TfSymbolicTensor>();
  const masked = (tensor: TfSymbolicTensor): boolean => {
    if (seen.has(tensor)) return false;
    seen.add(tensor);
    const source = tensor.sourceLayer;
    if (makesMask(source)) return true;
    if (source.supportsMasking !== true) return false;
    const node = source.inboundNodes[tensor.nodeIndex];
    return node?.inputTensors.some(masked) ?? false;
  };
  return layer.inboundNodes.some((node) => node.inputTensors.some(masked));
}
