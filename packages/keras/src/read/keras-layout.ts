import type { Dtype } from '@reprokit/core';
import type { H5Metadata } from '../hdf5/h5-file-reader.js';

/** The kinds of Keras weights file reprokit reads. */
export type KerasFormat =
  /** `model.save_weights('x.h5')` of Keras 1, Keras 2, tf.keras (and Keras 3's legacy writer). */
  | 'keras2-h5'
  /** `model.save('x.h5')`: weights under `/model_weights`, `model_config` at the root. */
  | 'keras2-model-h5'
  /** Keras 3 `model.save_weights('x.weights.h5')`: `layers/<name>/vars/<i>`. */
  | 'keras3-weights-h5'
  /** A `.keras` zip archive: `config.json`, `metadata.json`, `model.weights.h5`. */
  | 'keras-zip';

/** What a tensor of the file is for. */
export type KerasTensorRole = 'weight' | 'optimizer';

/** One tensor of a Keras file, with where it came from. */
export interface KerasTensorInfo {
  /** Checkpoint name (structural by default, see `ReadKerasOptions.naming`). */
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Structural path of the top-level layer it belongs to (`dense_1`, `encoder`), or `optimizer`. */
  readonly layer: string;
  /** The name in the file of the layer that owns it (`dense_7`; in a nested model, the inner layer). */
  readonly kerasLayer: string;
  /** The HDF5 dataset (in a `.keras` archive: inside `model.weights.h5`). */
  readonly path: string;
  /** Keras 1 per-gate arrays joined into this tensor on its last axis, in that order. */
  readonly parts?: readonly string[];
  readonly role: KerasTensorRole;
}

/** One top-level layer of the file that holds weights. */
export interface KerasLayerInfo {
  /** Structural path: the checkpoint names of its weights start with it. */
  readonly name: string;
  /** Its name in the file. */
  readonly kerasName: string;
  /** Its Keras class, when the file tells it (model config, Keras 3 group name). */
  readonly className?: string | undefined;
  /** Its HDF5 group. */
  readonly group: string;
  /** Its weights' checkpoint names, in the file's (Keras') order. */
  readonly tensors: readonly string[];
}

/** A dataset of the file that is not in the checkpoint, and why. */
export interface KerasSkippedObject {
  readonly path: string;
  readonly reason: string;
}

/** The tensors a Keras file holds, without their data. */
export interface KerasLayout {
  readonly format: KerasFormat;
  readonly layers: readonly KerasLayerInfo[];
  readonly tensors: readonly KerasTensorInfo[];
  readonly skipped: readonly KerasSkippedObject[];
  /** Checkpoint metadata (`KERAS_METADATA_KEYS`). */
  readonly metadata: ReadonlyMap<string, string>;
}

/** A tensor to read: its info plus the HDF5 metadata of each dataset it is made of. */
export interface PlannedTensor extends KerasTensorInfo {
  readonly datasets: readonly { readonly path: string; readonly info: H5Metadata }[];
}

export interface PlannedLayout extends KerasLayout {
  readonly tensors: readonly PlannedTensor[];
}

/** Metadata keys `readKeras` sets on the checkpoint (all strings; JSON where noted). */
export const KERAS_METADATA_KEYS = {
  /** `KerasFormat` of the file read. */
  format: 'keras.format',
  /** `keras_version` attribute, or `metadata.json`'s `keras_version`; `1` when a Keras 2 file lacks it. */
  kerasVersion: 'keras.keras_version',
  /** `backend` attribute (`tensorflow`, `theano`, `jax`, ...). */
  backend: 'keras.backend',
  /** `model_config` (legacy `.h5`) or `config.json` (`.keras`), as saved. */
  modelConfig: 'keras.model_config',
  /** `training_config` of a legacy full-model `.h5`, as saved. */
  trainingConfig: 'keras.training_config',
  /** `metadata.json` of a `.keras` archive, as saved. */
  archiveMetadata: 'keras.archive_metadata',
  /** JSON object: checkpoint name -> HDF5 dataset path (or list of paths for joined Keras 1 gates). */
  paths: 'keras.h5_paths',
  /** JSON array of `KerasLayerInfo`: the file's weighted layers in Keras' order. */
  layers: 'keras.layers',
  /** JSON array of `KerasSkippedObject`: datasets left out of the checkpoint. */
  skipped: 'keras.skipped',
} as const;
