/**
 * The C math library calls the normal draws depend on, in one place.
 *
 * CPython's `gauss` / `normalvariate` and NumPy's `randn` call glibc's double `log`, `sin` and
 * `cos`; TensorFlow's float Box-Muller calls glibc's `logf` and `sincosf`. glibc's results are
 * not always correctly rounded (about 0.1% of inputs are one ulp off), and V8's `Math.log`,
 * `Math.sin` and `Math.cos` differ from glibc on a few percent of inputs, so any of them would
 * change some draws in their last bit. These are TypeScript ports of glibc 2.36's x86-64 FMA
 * builds (`../math/`), checked bit for bit against glibc on millions of inputs
 * (docs/exact-math.md): the draws equal Python's on Linux x86-64 with FMA.
 */
export {
  glibcCos as cos,
  glibcLog as log,
  glibcLogf as logf,
  glibcSin as sin,
  glibcSincosf as sincosf,
} from '../math/index.js';
