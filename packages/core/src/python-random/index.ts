export {
  computeFans,
  KERAS_TRUNCATED_NORMAL_STDDEV_CORRECTION,
  type KerasInitializerSpec,
  kerasInitialize,
  kerasInitializerIsRandom,
} from './keras-initializers.js';
export { MT19937_WORDS, Mt19937, type Mt19937State } from './mt19937.js';
export type { NumpyIntegerDtype } from './numpy-bounded-integers.js';
export {
  type NumpyIntegerArray,
  NumpyRandomState,
  type NumpyRandomStateState,
  type NumpySeed,
  type NumpySize,
  numpyRandomState,
} from './numpy-random-state.js';
export { PhiloxRandom, philox4x32x10 } from './philox.js';
export { PythonRandom, type PythonRandomState, pythonRandom } from './python-random.js';
export { PythonRandomError, type PythonRandomErrorCode } from './python-random-error.js';
export {
  type GeneratorSeedControl,
  type GeneratorSeedControlOptions,
  numpyRandomStateSeedControl,
  pythonRandomSeedControl,
  tensorflowRandomSeedControl,
} from './python-random-seed-controls.js';
export { type PythonSeed, pythonSeedKey } from './python-seed.js';
export { sha512 } from './sha-512.js';
export {
  type TensorflowFloatDtype,
  type TensorflowIntDtype,
  TensorflowRandom,
  type TensorflowRandomOptions,
  type TensorflowRandomState,
  type TensorflowSeed,
  TF_DEFAULT_GRAPH_SEED,
  TF_MAXINT32,
  tensorflowRandom,
} from './tensorflow-random.js';
