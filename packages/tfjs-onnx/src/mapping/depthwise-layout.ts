import {
  reshapeTensor,
  type TensorTransform,
  tensorTransforms,
  transposeTensor,
} from '@reprokit/core';

/**
 * A depthwise kernel from ONNX to Keras: `[C*m,1,kh,kw]` (a Conv with `group = C`) ->
 * `[kh,kw,C,m]`, a reshape to `[C,m,kh,kw]` then transpose `[2,3,0,1]`.
 *
 * @example
 * depthwiseToKeras(3, 2, 5, 5); // the step for a [6,1,5,5] weight
 */
export function depthwiseToKeras(
  channels: number,
  multiplier: number,
  kh: number,
  kw: number,
): TensorTransform {
  return tensorTransforms.custom(
    `depthwise [C*m,1,kh,kw] -> [kh,kw,C,m] (reshape [${channels},${multiplier},${kh},${kw}], then transpose [2,3,0,1])`,
    (tensor, name) =>
      transposeTensor(
        reshapeTensor(tensor, [channels, multiplier, kh, kw], name),
        [2, 3, 0, 1],
        name,
      ),
  );
}

/**
 * The inverse: a Keras depthwise kernel `[kh,kw,C,m]` -> ONNX `[C*m,1,kh,kw]` (`shape`),
 * transpose `[2,3,0,1]` then reshape.
 *
 * @example
 * depthwiseToOnnx([6, 1, 5, 5]);
 */
export function depthwiseToOnnx(shape: readonly number[]): TensorTransform {
  return tensorTransforms.custom(
    `depthwise [kh,kw,C,m] -> [C*m,1,kh,kw] (transpose [2,3,0,1], then reshape [${shape.join(',')}])`,
    (tensor, name) => reshapeTensor(transposeTensor(tensor, [2, 3, 0, 1], name), shape, name),
  );
}
