import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { formatShape } from '../checkpoint/write-report.js';
import { addTensors } from './add-tensors.js';
import { reorderGates } from './reorder-gates.js';
import { reshapeTensor } from './reshape-tensor.js';
import { selectIndex, sliceTensor, splitTensor } from './slice-tensor.js';
import { transposeTensor } from './transpose-tensor.js';

/**
 * One named change to one tensor. `description` is what the mapping report shows
 * (`transpose [1,0]`, `reorder gates iofc->ifco`), so every change a mapping makes is visible.
 */
export interface TensorTransform {
  readonly description: string;
  apply(tensor: CheckpointTensor, name: string): CheckpointTensor;
}

/**
 * Factories for the common transforms, for use in `tensorRules`. Each wraps the function of
 * the same purpose (`transposeTensor`, `reorderGates`, ...) and names itself.
 *
 * @example
 * const rule = { from: 'fc.weight', to: 'dense/kernel', transforms: [tensorTransforms.transpose([1, 0])] };
 */
export const tensorTransforms = Object.freeze({
  /** Permute axes (see `transposeTensor`). */
  transpose(perm: readonly number[]): TensorTransform {
    return {
      description: `transpose [${perm.join(',')}]`,
      apply: (tensor, name) => transposeTensor(tensor, perm, name),
    };
  },
  /** New shape, same element order (see `reshapeTensor`). */
  reshape(shape: readonly number[]): TensorTransform {
    return {
      description: `reshape ${formatShape(shape)}`,
      apply: (tensor, name) => reshapeTensor(tensor, shape, name),
    };
  },
  /** Reorder gate blocks along an axis (see `reorderGates`). */
  reorderGates(axis: number, from: string, to: string): TensorTransform {
    return {
      description: `reorder gates ${from}->${to} on axis ${axis}`,
      apply: (tensor, name) => reorderGates(tensor, axis, from, to, name),
    };
  },
  /** Pick one index and drop the axis (see `selectIndex`). */
  select(axis: number, index: number, label?: string): TensorTransform {
    return {
      description: `select index ${index} of axis ${axis}${label === undefined ? '' : ` (${label})`}`,
      apply: (tensor, name) => selectIndex(tensor, axis, index, name),
    };
  },
  /** Keep `[start, end)` of one axis (see `sliceTensor`). */
  slice(axis: number, start: number, end: number): TensorTransform {
    return {
      description: `slice axis ${axis} [${start}:${end}]`,
      apply: (tensor, name) => sliceTensor(tensor, axis, start, end, name),
    };
  },
  /** Split one axis into `parts` equal pieces and add them (ONNX `Wb + Rb` -> one bias). */
  splitAndSum(axis: number, parts: number): TensorTransform {
    return {
      description: `split axis ${axis} into ${parts} and sum`,
      apply: (tensor, name) => {
        const pieces = splitTensor(tensor, axis, parts, name);
        let sum = pieces[0]!;
        for (const piece of pieces.slice(1)) sum = addTensors(sum, piece, name);
        return sum;
      },
    };
  },
  /** Any other change, with the description the report should show. */
  custom(
    description: string,
    apply: (tensor: CheckpointTensor, name: string) => CheckpointTensor,
  ): TensorTransform {
    return { description, apply };
  },
});
