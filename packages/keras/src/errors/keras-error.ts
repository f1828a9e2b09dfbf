import { ReprokitError } from '@reprokit/core';

/**
 * Codes of `KerasError`.
 *
 * Reading:
 * - `KERAS_NOT_KERAS_FILE`: neither HDF5 (no signature at byte 0, 512, 1024, ...) nor a zip archive.
 * - `KERAS_TRUNCATED`: the file ends before the end its HDF5 superblock or zip directory declares.
 * - `KERAS_INVALID_HDF5`: the HDF5 library refused the file or an object in it (corrupt structure).
 * - `KERAS_NO_KERAS_WEIGHTS`: valid HDF5, but without Keras attributes (`layer_names`) or groups
 *   (`layers/`, `vars/`, `model_weights/`).
 * - `KERAS_MISSING_OBJECT`: a layer group or weight dataset named by `layer_names` /
 *   `weight_names` is not in the file.
 * - `KERAS_INVALID_ATTRIBUTE`: `layer_names`, `weight_names` or another Keras attribute has the
 *   wrong type or shape.
 * - `KERAS_ATTRIBUTE_TOO_LARGE`: an attribute larger than `maxAttributeBytes` (default 1 MiB).
 * - `KERAS_UNSUPPORTED_DTYPE`: a weight whose HDF5 type has no checkpoint dtype (strings,
 *   compounds, opaque data without Keras' `dtype="bfloat16"` attribute, ...).
 * - `KERAS_LINK_NOT_ALLOWED`: a soft or external link, or an external or virtual dataset, on a
 *   weight's path (Keras refuses them too).
 * - `KERAS_DATASET_TOO_LARGE`: a weight declares more bytes than the file can hold
 *   (a shape bomb) or more than `maxTensorBytes`.
 * - `KERAS_DUPLICATE_TENSOR_NAME`: two weights get the same checkpoint name.
 * - `KERAS_READ_FAILED`: HDF5 could not read a weight's data.
 * - `KERAS_INVALID_ZIP`, `KERAS_MISSING_ENTRY`, `KERAS_UNSUPPORTED_COMPRESSION`,
 *   `KERAS_ZIP_BOMB`: a `.keras` archive that is damaged, lacks `model.weights.h5`, uses a
 *   compression other than stored/deflate, or inflates far beyond its stored size.
 * - `KERAS_INVALID_CONFIG`: `config.json` or `model_config` is not the JSON Keras writes.
 * - `KERAS_UNSUPPORTED_FORMAT`: a Keras file reprokit does not read (`model.weights.npz`).
 *
 * Matching a checkpoint against a model (`kerasLayerOrder`):
 * - `KERAS_LAYER_COUNT_MISMATCH`, `KERAS_WEIGHT_COUNT_MISMATCH`, `KERAS_SHAPE_MISMATCH`.
 *
 * Writing:
 * - `KERAS_INVALID_CHECKPOINT`: a tensor that cannot be written (byte length, empty name, dtype).
 * - `KERAS_UNKNOWN_LAYER_CLASS`: the Keras 3 layout needs a layer's class and nothing tells it.
 * - `KERAS_WRITE_FAILED`: the HDF5 library failed while writing.
 */
export type KerasErrorCode =
  | 'KERAS_NOT_KERAS_FILE'
  | 'KERAS_TRUNCATED'
  | 'KERAS_INVALID_HDF5'
  | 'KERAS_NO_KERAS_WEIGHTS'
  | 'KERAS_MISSING_OBJECT'
  | 'KERAS_INVALID_ATTRIBUTE'
  | 'KERAS_ATTRIBUTE_TOO_LARGE'
  | 'KERAS_UNSUPPORTED_DTYPE'
  | 'KERAS_LINK_NOT_ALLOWED'
  | 'KERAS_DATASET_TOO_LARGE'
  | 'KERAS_DUPLICATE_TENSOR_NAME'
  | 'KERAS_READ_FAILED'
  | 'KERAS_INVALID_ZIP'
  | 'KERAS_MISSING_ENTRY'
  | 'KERAS_UNSUPPORTED_COMPRESSION'
  | 'KERAS_ZIP_BOMB'
  | 'KERAS_INVALID_CONFIG'
  | 'KERAS_UNSUPPORTED_FORMAT'
  | 'KERAS_LAYER_COUNT_MISMATCH'
  | 'KERAS_WEIGHT_COUNT_MISMATCH'
  | 'KERAS_SHAPE_MISMATCH'
  | 'KERAS_INVALID_CHECKPOINT'
  | 'KERAS_UNKNOWN_LAYER_CLASS'
  | 'KERAS_WRITE_FAILED';

export interface KerasErrorOptions {
  code: KerasErrorCode;
  message: string;
  /** The file: a path, a source name, `<bytes>`. */
  file?: string | undefined;
  /** The Keras layer involved (its name in the file). */
  layer?: string | undefined;
  /** The weight: its checkpoint name, or its name in the file. */
  tensor?: string | undefined;
  /** The HDF5 object (dataset, group or attribute owner) the problem is in. */
  h5Path?: string | undefined;
  byteOffset?: number | undefined;
  cause?: unknown;
}

/**
 * A Keras weights file (`.h5`, `.weights.h5`, `.keras`) that cannot be read, a checkpoint that
 * cannot be written as one, or a checkpoint that does not fit a model in Keras' layer order.
 * Names the layer (`layer`), the weight (`tensor`) and the HDF5 object (`h5Path`) where known.
 *
 * @example
 * try { await readKeras(bytes) } catch (error) {
 *   if (KerasError.isInstance(error) && error.code === 'KERAS_NO_KERAS_WEIGHTS') showHint();
 * }
 */
export class KerasError extends ReprokitError {
  static override readonly errorName: string = 'KerasError';
  declare readonly code: KerasErrorCode;
  readonly layer: string | undefined;
  readonly h5Path: string | undefined;

  constructor(options: KerasErrorOptions) {
    const where: string[] = [];
    if (options.layer !== undefined) where.push(`layer "${options.layer}"`);
    if (options.h5Path !== undefined) where.push(`HDF5 object "${options.h5Path}"`);
    super({
      code: options.code,
      origin: 'keras',
      message: where.length > 0 ? `${options.message} [${where.join(', ')}]` : options.message,
      file: options.file,
      tensor: options.tensor,
      byteOffset: options.byteOffset,
      cause: options.cause,
    });
    this.layer = options.layer;
    this.h5Path = options.h5Path;
  }
}
