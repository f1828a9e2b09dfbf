import type { AttributeProto, NodeProto } from 'onnx-buf';

/**
 * ONNX ops that draw random numbers and take a float `seed` attribute. Without one, ONNX
 * Runtime seeds them from its own per-process generator, so two processes differ.
 */
export const FLOAT_SEED_OPS: ReadonlySet<string> = new Set([
  'RandomNormal',
  'RandomUniform',
  'RandomNormalLike',
  'RandomUniformLike',
  'Multinomial',
  'Bernoulli',
]);

/** How a node's seed attribute is typed, or `undefined` if the node draws no random numbers. */
export function randomSeedKind(node: NodeProto): 'float' | 'int' | undefined {
  if (node.domain !== '' && node.domain !== 'ai.onnx') return undefined;
  if (FLOAT_SEED_OPS.has(node.opType)) return 'float';
  // Dropout (opset 12+) is random only when its optional third input, training_mode, is
  // wired; without it the node is the identity and needs no seed.
  if (node.opType === 'Dropout' && (node.input[2] ?? '') !== '') return 'int';
  return undefined;
}

/** True when the node already has a `seed` attribute (set by the exporter or the user). */
export function hasSeedAttribute(node: NodeProto): boolean {
  return node.attribute.some((attribute: AttributeProto) => attribute.name === 'seed');
}
