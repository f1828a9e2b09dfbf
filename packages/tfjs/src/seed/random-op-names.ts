/**
 * Scope names (op name + `__op`) of the tfjs-core 4.22 ops that call `Math.random` when no
 * seed is given (or the seed is 0, which tfjs treats as "no seed"). Every other random
 * entry point (initializers, Dropout, GaussianNoise, GaussianDropout, AlphaDropout,
 * Orthogonal) reaches one of these, so the layer code paths need no separate patch.
 */
export const RANDOM_OP_SCOPES: ReadonlySet<string> = new Set([
  'randomUniform__op',
  'randomUniformInt__op',
  'randomNormal__op',
  'randomStandardNormal__op',
  'truncatedNormal__op',
  'randomGamma__op',
  'multinomial__op',
  'dropout__op',
]);

/**
 * Whether a tfjs engine scope name belongs to an op that may draw a seed from `Math.random`.
 *
 * @example
 * isRandomOpScope('randomNormal__op'); // true
 * isRandomOpScope('matMul__op');       // false
 */
export function isRandomOpScope(name: unknown): boolean {
  return typeof name === 'string' && RANDOM_OP_SCOPES.has(name);
}
