// @reprokit/keras/node: Keras weights files on disk. The root entry works on bytes and
// ByteSources in any JavaScript environment; this one adds paths and crash-safe writes.
export {
  type ReadKerasWeightsFileOptions,
  readKerasWeightsFile,
} from './read-keras-weights-file.js';
export {
  type WriteKerasWeightsFileOptions,
  writeKerasWeightsFile,
} from './write-keras-weights-file.js';
