/**
 * The C math library calls the normal draws depend on, in one place.
 *
 * CPython's `gauss` / `normalvariate` and NumPy's `randn` call glibc's double `log`, `sin` and
 * `cos`; TensorFlow's float Box-Muller calls glibc's `logf` and `sincosf`. glibc returns the
 * correctly rounded result for these; V8's `Math.log` / `Math.sin` / `Math.cos` miss it by one
 * ulp on a few percent of inputs, which changes a normal draw in its last bit (the streams stay
 * in step: only the value is off).
 *
 * TEMPORARY: these are the `Math.*` functions. The lead swaps this file for
 * `../math/index.js` (`correctlyRoundedLog`, `correctlyRoundedSin`, `correctlyRoundedCos`,
 * `glibcLogf`, `glibcSincosf`) when that helper's work is merged; every normal draw in this
 * folder goes through these five names, and nothing else needs to change.
 */

/** Double natural logarithm, meant to equal glibc's `log` (correctly rounded). */
export function log(x: number): number {
  return Math.log(x);
}

/** Double sine, meant to equal glibc's `sin` (correctly rounded). */
export function sin(x: number): number {
  return Math.sin(x);
}

/** Double cosine, meant to equal glibc's `cos` (correctly rounded). */
export function cos(x: number): number {
  return Math.cos(x);
}

/** Float natural logarithm of a float32 value, meant to equal glibc's `logf`. */
export function logf(x: number): number {
  return Math.fround(Math.log(x));
}

/** Float sine and cosine of a float32 value, meant to equal glibc's `sincosf`. */
export function sincosf(x: number): [sin: number, cos: number] {
  return [Math.fround(Math.sin(x)), Math.fround(Math.cos(x))];
}
