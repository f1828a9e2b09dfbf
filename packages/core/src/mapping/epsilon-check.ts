import type { CheckpointTensor } from '../checkpoint/checkpoint.js';
import { formatShape, sameShape } from '../checkpoint/write-report.js';
import { floatElements, tensorFromFloats } from './float-tensor.js';
import { MappingError } from './mapping-error.js';

/**
 * True when two normalisation epsilons are the same number once stored as float32 (ONNX
 * keeps attributes as float32, Keras configs as float64: `1e-5` must equal `1e-5`).
 *
 * @example
 * epsilonsMatch(9.999999747378752e-6, 1e-5) // true
 */
export function epsilonsMatch(a: number, b: number): boolean {
  return Math.fround(a) === Math.fround(b);
}

/** What to do when the source's epsilon differs from the target layer's. */
export type EpsilonPolicy = 'error' | 'fold' | 'warn';

/**
 * Rescales a normalisation scale (`gamma`) so a layer using `targetEpsilon` computes what
 * the source computed with `sourceEpsilon`:
 * `gamma * sqrt(var + targetEpsilon) / sqrt(var + sourceEpsilon)`. Exact up to float32
 * rounding for any variance (unlike shifting the variance, which can go negative).
 *
 * @example
 * // ONNX BatchNormalization eps 1e-5 into a Keras layer built with eps 1e-3
 * const gamma = foldEpsilonIntoScale(scale, variance, 1e-5, 1e-3);
 */
export function foldEpsilonIntoScale(
  scale: CheckpointTensor,
  variance: CheckpointTensor,
  sourceEpsilon: number,
  targetEpsilon: number,
  name?: string,
): CheckpointTensor {
  if (!sameShape(scale.shape, variance.shape)) {
    throw new MappingError({
      code: 'MAPPING_SHAPE_MISMATCH',
      message: `scale ${formatShape(scale.shape)} and variance ${formatShape(variance.shape)} differ in shape`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  const gamma = floatElements(scale, name);
  const spread = floatElements(variance, name);
  const out = new Float64Array(gamma.length);
  for (let index = 0; index < gamma.length; index++) {
    const v = spread[index]!;
    out[index] = (gamma[index]! * Math.sqrt(v + targetEpsilon)) / Math.sqrt(v + sourceEpsilon);
  }
  return tensorFromFloats(scale.dtype as 'F32' | 'F64', scale.shape, out);
}

/**
 * Throws `MAPPING_EPSILON_MISMATCH` when the epsilons differ and the policy is `error`;
 * otherwise returns the text of the mapping step that records the check.
 *
 * @example
 * const note = checkEpsilon(1e-5, 1e-3, 'warn', 'batch_normalization/gamma');
 * // 'epsilon differs: source 0.00001, target 0.001 (outputs will differ)'
 */
export function checkEpsilon(
  sourceEpsilon: number,
  targetEpsilon: number,
  policy: EpsilonPolicy,
  name?: string,
): string {
  if (epsilonsMatch(sourceEpsilon, targetEpsilon)) {
    return `check epsilon: source ${formatNumber(sourceEpsilon)} = target ${formatNumber(targetEpsilon)}`;
  }
  if (policy === 'error') {
    throw new MappingError({
      code: 'MAPPING_EPSILON_MISMATCH',
      message: `epsilon differs: source ${formatNumber(sourceEpsilon)}, target layer ${formatNumber(targetEpsilon)}; build the target layer with epsilon ${formatNumber(sourceEpsilon)}, or choose the 'fold' policy to rescale gamma`,
      ...(name === undefined ? {} : { tensor: name }),
    });
  }
  if (policy === 'fold') {
    return `fold epsilon ${formatNumber(sourceEpsilon)} -> ${formatNumber(targetEpsilon)} into gamma`;
  }
  return `epsilon differs: source ${formatNumber(sourceEpsilon)}, target ${formatNumber(targetEpsilon)} (outputs will differ)`;
}

/** Shortest decimal that round-trips through float32, so `1e-5` prints as `0.00001`. */
export function formatNumber(value: number): string {
  const single = Math.fround(value);
  for (let digits = 1; digits <= 17; digits++) {
    const text = Number(single.toPrecision(digits));
    if (Math.fround(text) === single) return String(text);
  }
  return String(value);
}
