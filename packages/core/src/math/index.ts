/**
 * Math functions for bit-exact normal draws (reprokit's ports of Python's, NumPy's and
 * TensorFlow's generators). Not part of the uniform hot path; see docs/exact-math.md.
 *
 * - `glibcLog`, `glibcSin`, `glibcCos`, `glibcLogf`, `glibcSincosf`: bit for bit what glibc
 *   (2.28+, x86-64, FMA variants) returns, which is what CPython, NumPy and TensorFlow on Linux get.
 * - `correctlyRoundedLog`, `correctlyRoundedSin`, `correctlyRoundedCos`: the exact value rounded
 *   once. glibc's double functions are not correctly rounded, so these differ from glibc on about
 *   0.1% of inputs.
 */
export { correctlyRoundedLog } from './correctly-rounded-log.js';
export { correctlyRoundedCos, correctlyRoundedSin } from './correctly-rounded-sin-cos.js';
export { fusedMultiplyAdd } from './fused-multiply-add.js';
export { glibcLog } from './glibc-log.js';
export { glibcLogf } from './glibc-logf.js';
export { glibcCos, glibcSin } from './glibc-sin-cos.js';
export { glibcSincosf } from './glibc-sincosf.js';
