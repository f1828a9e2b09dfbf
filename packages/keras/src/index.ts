export { KerasError, type KerasErrorCode, type KerasErrorOptions } from './errors/keras-error.js';
export { detectKeras, HDF5_SIGNATURE } from './format/detect-keras.js';
export type { H5wasmLike } from './hdf5/h5-module.js';
export { kerasLayerOrder } from './mapping/keras-layer-order.js';
export {
  KERAS_METADATA_KEYS,
  type KerasFormat,
  type KerasLayerInfo,
  type KerasSkippedObject,
  type KerasTensorInfo,
  type KerasTensorRole,
} from './read/keras-layout.js';
export { automaticBaseName, kerasSnakeCase, structuralLayerNames } from './read/keras-names.js';
export {
  inspectKeras,
  type KerasInput,
  type KerasInspection,
  type ReadKerasOptions,
  readKeras,
} from './read/read-keras.js';
export { type KerasStoreWriteOptions, kerasStore } from './store/keras-store.js';
export {
  type EncodeKerasOptions,
  encodeKeras,
  type KerasWriteFormat,
} from './write/encode-keras.js';
export { kerasFormatOfPath } from './write/keras-format-of-path.js';
