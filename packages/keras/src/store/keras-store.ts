import { type CheckpointStore, dtypeSize, elementCount } from '@reprokit/core';
import { detectKeras } from '../format/detect-keras.js';
import { inspectKeras, type ReadKerasOptions, readKeras } from '../read/read-keras.js';
import {
  type EncodeKerasOptions,
  encodeKeras,
  type KerasWriteFormat,
} from '../write/encode-keras.js';
import { kerasFormatOfPath } from '../write/keras-format-of-path.js';

/** Write options of `kerasStore()`: `encodeKeras`'s, with the format told by the file name by default. */
export interface KerasStoreWriteOptions extends Omit<EncodeKerasOptions, 'format'> {
  /** Default: from the entry's name, as Keras decides (`kerasFormatOfPath`). */
  format?: KerasWriteFormat;
}

/**
 * The store of Keras weights files: `save_weights('x.h5')` (Keras 1, 2, tf.keras), full-model
 * `model.save('x.h5')`, Keras 3 `x.weights.h5` and `.keras` archives.
 *
 * - detect: the HDF5 signature (at 0, 512, 1024, ...), or a zip whose first entry is a Keras
 *   archive's.
 * - inspect: `inspectKeras`: layers and tensors from the HDF5 metadata, no dataset read.
 * - read: `readKeras` (structural names that load into a tfjs model built the same way).
 * - encode: one file in the format the entry's name asks for (`.keras`, `.weights.h5`, else
 *   Keras 2 `.h5`), or `options.format`.
 *
 * @example
 * const checkpoint = await readCheckpoint(droppedFile, { stores: [kerasStore()] });
 */
export function kerasStore(
  options: Omit<ReadKerasOptions, 'name'> = {},
): CheckpointStore<KerasStoreWriteOptions> {
  return {
    specificationVersion: 'v1',
    format: 'keras',
    extensions: ['.weights.h5', '.keras', '.hdf5', '.h5'],
    detect: ({ head }) => detectKeras(head),
    async inspect(files) {
      const inspection = await inspectKeras(files.entry, options);
      return {
        format: 'keras',
        tensors: inspection.tensors.map((tensor) => ({
          name: tensor.name,
          dtype: tensor.dtype,
          shape: tensor.shape,
          byteLength: elementCount(tensor.shape) * dtypeSize(tensor.dtype),
        })),
        metadata: inspection.metadata,
        files: [files.entry.name],
      };
    },
    read: (files) => readKeras(files.entry, options),
    async encode(checkpoint, writeOptions) {
      const { entryName, format, ...rest } = writeOptions;
      const bytes = await encodeKeras(checkpoint, {
        ...rest,
        format: format ?? kerasFormatOfPath(entryName),
      });
      return { dataFiles: [], entry: () => ({ name: entryName, chunks: [bytes] }) };
    },
  };
}
