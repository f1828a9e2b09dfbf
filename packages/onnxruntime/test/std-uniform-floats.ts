/**
 * What ONNX Runtime's CPU RandomUniform draws for a seed: its kernel runs
 * `std::uniform_real_distribution<float>{low, high}` on a `std::default_random_engine{seed}`,
 * and both are the C++ standard library's, so they depend on which library ORT was built with:
 * - libstdc++ (onnxruntime-node's Linux build): `default_random_engine` is `minstd_rand0`
 *   (x ← 16807·x mod 2³¹−1);
 * - libc++ (Emscripten, so onnxruntime-web's wasm): it is `minstd_rand` (x ← 48271·x mod 2³¹−1).
 * In both, a float draw takes one engine output: `float(x − 1) / float(2³¹ − 2)` (the engine's
 * range; the divisor rounds to 2³¹ in float), scaled to [low, high); with low 0 and high 1 that
 * is the draw itself. Checked against g++ 12's libstdc++ for seed 7.
 */
export type CppStandardLibrary = 'libstdc++' | 'libc++';

const MODULUS = 2147483647;
/** max() − min() + 1 of a minstd engine, as a float (2³¹). */
const RANGE = Math.fround(MODULUS - 1);
const MULTIPLIER: Record<CppStandardLibrary, number> = { 'libstdc++': 16807, 'libc++': 48271 };

/** The first `count` draws of RandomUniform(low 0, high 1) seeded with `seed` (a uint32). */
export function stdUniformFloats(
  library: CppStandardLibrary,
  seed: number,
  count: number,
): Float32Array {
  // Both libraries seed a minstd engine with seed mod m, and 1 instead of 0.
  let state = seed % MODULUS;
  if (state === 0) state = 1;
  const draws = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    // state < 2³¹ and the multiplier < 2¹⁶: the product is exact in a double.
    state = (state * MULTIPLIER[library]) % MODULUS;
    draws[index] = Math.fround(state - 1) / RANGE;
  }
  return draws;
}
