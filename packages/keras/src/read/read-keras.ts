import {
  type ByteSource,
  bytesSource,
  type Checkpoint,
  type CheckpointTensor,
  createCheckpoint,
  dtypeSize,
  ReprokitError,
} from '@reprokit/core';
import { KerasError } from '../errors/keras-error.js';
import { HDF5_SIGNATURE, hdf5SignatureOffset, isZip } from '../format/detect-keras.js';
import { H5FileReader } from '../hdf5/h5-file-reader.js';
import { type H5wasmLike, loadH5Module } from '../hdf5/h5-module.js';
import { readZipDirectory, readZipEntry } from '../zip/zip-reader.js';
import { type ConfigLayer, parseModelConfig } from './keras-config.js';
import {
  KERAS_METADATA_KEYS,
  type KerasFormat,
  type KerasLayerInfo,
  type KerasSkippedObject,
  type KerasTensorInfo,
  type PlannedLayout,
  type PlannedTensor,
} from './keras-layout.js';
import { planKeras3 } from './keras3-layout.js';
import type { LayoutOptions } from './layout-options.js';
import { planLegacyH5 } from './legacy-h5-layout.js';

/** What `readKeras` and `inspectKeras` take: the file's bytes, or random access to them. */
export type KerasInput = Uint8Array | ByteSource;

export interface ReadKerasOptions {
  /**
   * `structural` (default): the names `@reprokit/tfjs` gives the weights of a tfjs model built
   * the same way (`dense/kernel`, `encoder/dense_1/bias`, `lstm/recurrent_kernel`), so
   * `tfjsCheckpoint(tf).write(model, checkpoint)` loads them. `h5`: each weight under its HDF5 dataset
   * path, as it is in the file (`dense/dense/kernel:0`, `layers/dense/vars/0`), nothing renamed or joined.
   */
  naming?: 'structural' | 'h5';
  /** Also read optimizer state (and other training state of Keras 3 files), under `optimizer/...`. Default `false`. */
  optimizer?: boolean;
  /** The file's name in errors, for `Uint8Array` input (default `<bytes>`). */
  name?: string;
  /** Largest attribute read, in bytes (default 4 MiB); larger ones throw `KERAS_ATTRIBUTE_TOO_LARGE`. */
  maxAttributeBytes?: number;
  /** Largest tensor read, in bytes (default: no limit beyond what the file can hold). */
  maxTensorBytes?: number;
  /** Tensor data HDF5 has to convert or gather passes through the wasm heap in blocks of at most this many bytes (default 8 MiB). */
  blockBytes?: number;
  /**
   * Default `false`: a weight stored as one contiguous run of little-endian elements (h5py's
   * layout) is a view of the input bytes, no copy; keep the input unchanged while you use the
   * checkpoint. `true`: every tensor gets its own buffer.
   */
  copy?: boolean;
  /** The h5wasm module to use (default: the `h5wasm` package, imported on first use). */
  h5wasm?: H5wasmLike;
}

/** What `inspectKeras` reports: the file's format, layers and tensors, without reading weight data. */
export interface KerasInspection {
  readonly format: KerasFormat;
  readonly layers: readonly KerasLayerInfo[];
  readonly tensors: readonly KerasTensorInfo[];
  readonly skipped: readonly KerasSkippedObject[];
  readonly metadata: ReadonlyMap<string, string>;
}

const DEFAULT_MAX_ATTRIBUTE_BYTES = 4 << 20;
const DEFAULT_BLOCK_BYTES = 8 << 20;
const WEIGHTS_ENTRY = 'model.weights.h5';

/**
 * Reads a Keras weights file into a `Checkpoint`: `save_weights('x.h5')` of Keras 1, Keras 2 and
 * tf.keras, `model.save('x.h5')` (weights under `/model_weights`), Keras 3 `x.weights.h5`, and
 * `.keras` archives. The format is detected from the content. Tensors get structural names (see
 * `ReadKerasOptions.naming`); the metadata keeps the original HDF5 path of every tensor, the
 * layers in Keras' order, the model config and the Keras version (`KERAS_METADATA_KEYS`).
 * Bad input throws a `KerasError` naming the layer and weight; the wasm heap and the in-memory
 * file are released before it returns, whether it succeeds or not.
 *
 * @example
 * const checkpoint = await readKeras(new Uint8Array(await (await fetch('model.h5')).arrayBuffer()));
 * await tfjsCheckpoint(tf).write(model, checkpoint);
 */
export async function readKeras(
  input: KerasInput,
  options: ReadKerasOptions = {},
): Promise<Checkpoint> {
  return withKerasFile(input, options, (reader, layout) => {
    const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
    const tensors: Array<[string, CheckpointTensor]> = [];
    for (const tensor of layout.tensors) {
      tensors.push([tensor.name, readTensor(reader, tensor, blockBytes, options.copy === true)]);
    }
    return createCheckpoint(tensors, layout.metadata);
  });
}

/**
 * The format, layers and tensors (name, dtype, shape, HDF5 path) of a Keras weights file,
 * reading only HDF5 metadata: no weight data is read or copied. The whole file still has to be
 * in memory for HDF5 (a `.keras` archive: its `model.weights.h5` entry only).
 *
 * @example
 * const { format, tensors } = await inspectKeras(bytes);
 * for (const t of tensors) console.log(t.name, t.dtype, t.shape, t.path);
 */
export async function inspectKeras(
  input: KerasInput,
  options: ReadKerasOptions = {},
): Promise<KerasInspection> {
  return withKerasFile(input, options, (_reader, layout) => ({
    format: layout.format,
    layers: layout.layers,
    tensors: layout.tensors.map(({ datasets: _datasets, ...info }) => info),
    skipped: layout.skipped,
    metadata: layout.metadata,
  }));
}

async function withKerasFile<T>(
  input: KerasInput,
  options: ReadKerasOptions,
  use: (reader: H5FileReader, layout: PlannedLayout) => T,
): Promise<T> {
  const source =
    input instanceof Uint8Array ? bytesSource(input, options.name ?? '<bytes>') : input;
  const container = await loadContainer(source);
  const module = await loadH5Module(options.h5wasm);
  const reader = H5FileReader.open(module, container.h5, {
    fileName: container.fileName,
    maxAttributeBytes: options.maxAttributeBytes ?? DEFAULT_MAX_ATTRIBUTE_BYTES,
  });
  try {
    const layoutOptions: LayoutOptions = {
      naming: options.naming ?? 'structural',
      optimizer: options.optimizer ?? false,
      maxTensorBytes: options.maxTensorBytes ?? Number.MAX_SAFE_INTEGER,
    };
    const layout = planLayout(reader, layoutOptions, container);
    return use(reader, layout);
  } catch (error) {
    throw asKerasError(error, container.fileName);
  } finally {
    reader.close();
  }
}

interface Container {
  readonly h5: Uint8Array;
  readonly fileName: string;
  readonly archive?: {
    readonly config?: ConfigLayer | undefined;
    readonly metadata: Map<string, string>;
  };
}

/** The HDF5 bytes to open: the file itself, or the `model.weights.h5` entry of a `.keras` archive. */
async function loadContainer(source: ByteSource): Promise<Container> {
  const head = await source.read(0, Math.min(source.size, 8));
  if (isZip(head)) return loadArchive(source);
  const bytes = head.length === source.size ? head : await readAll(source);
  if (hdf5SignatureOffset(bytes) < 0) {
    const prefix =
      bytes.length < HDF5_SIGNATURE.length &&
      bytes.every((byte, index) => byte === HDF5_SIGNATURE[index]);
    throw new KerasError({
      code: prefix && bytes.length > 0 ? 'KERAS_TRUNCATED' : 'KERAS_NOT_KERAS_FILE',
      message:
        prefix && bytes.length > 0
          ? `the file ends after ${bytes.length} bytes, inside the HDF5 signature`
          : 'not a Keras weights file: no HDF5 signature (at byte 0, 512, 1024, ...) and not a zip archive',
      file: source.name,
      byteOffset: 0,
    });
  }
  return { h5: bytes, fileName: source.name };
}

async function loadArchive(source: ByteSource): Promise<Container> {
  const entries = await readZipDirectory(source);
  const weights = entries.find((entry) => entry.name === WEIGHTS_ENTRY);
  if (weights === undefined) {
    const npz = entries.some((entry) => entry.name === 'model.weights.npz');
    throw new KerasError({
      code: npz ? 'KERAS_UNSUPPORTED_FORMAT' : 'KERAS_MISSING_ENTRY',
      message: npz
        ? 'the archive stores its weights as model.weights.npz (Keras weights_format="npz"); only model.weights.h5 is read'
        : `the archive has no ${WEIGHTS_ENTRY} (entries: ${entries.map((entry) => entry.name).join(', ') || 'none'})`,
      file: source.name,
    });
  }
  const metadata = new Map<string, string>();
  let config: ConfigLayer | undefined;
  const configEntry = entries.find((entry) => entry.name === 'config.json');
  if (configEntry !== undefined) {
    const text = new TextDecoder().decode(
      await readZipEntry(source, configEntry, { maxBytes: 256 << 20 }),
    );
    metadata.set(KERAS_METADATA_KEYS.modelConfig, text);
    try {
      config = parseModelConfig(JSON.parse(text));
    } catch (error) {
      throw new KerasError({
        code: 'KERAS_INVALID_CONFIG',
        message: `config.json is not JSON: ${(error as Error).message}`,
        file: source.name,
        tensor: 'config.json',
        cause: error,
      });
    }
  }
  const metadataEntry = entries.find((entry) => entry.name === 'metadata.json');
  if (metadataEntry !== undefined) {
    const text = new TextDecoder().decode(
      await readZipEntry(source, metadataEntry, { maxBytes: 16 << 20 }),
    );
    metadata.set(KERAS_METADATA_KEYS.archiveMetadata, text);
    try {
      const parsed = JSON.parse(text) as { keras_version?: unknown };
      if (typeof parsed.keras_version === 'string')
        metadata.set(KERAS_METADATA_KEYS.kerasVersion, parsed.keras_version);
    } catch {
      // metadata.json is informational; it stays in the metadata as it was.
    }
  }
  const h5 = await readZipEntry(source, weights);
  return { h5, fileName: `${source.name}:${WEIGHTS_ENTRY}`, archive: { config, metadata } };
}

function planLayout(
  reader: H5FileReader,
  options: LayoutOptions,
  container: Container,
): PlannedLayout {
  if (container.archive !== undefined) {
    return planKeras3(
      reader,
      options,
      'keras-zip',
      { config: container.archive.config },
      new Map(container.archive.metadata),
    );
  }
  const attributes = reader.attributeNames('/');
  if (attributes.includes('layer_names') || attributes.includes('layer_names0')) {
    return planLegacyH5(reader, 'keras2-h5', options);
  }
  if (reader.kind('/model_weights') === 'group')
    return planLegacyH5(reader, 'keras2-model-h5', options);
  const children = reader.children('/');
  if (
    children.some((child) =>
      ['layers', '_layer_checkpoint_dependencies', 'vars', 'optimizer'].includes(child),
    )
  ) {
    return planKeras3(reader, options, 'keras3-weights-h5');
  }
  if (attributes.includes('nb_layers')) {
    throw reader.error(
      'KERAS_UNSUPPORTED_FORMAT',
      'a Keras 0.x weights file (nb_layers, layer_<k>/param_<p>); save it again with Keras 1 or later',
      '/',
    );
  }
  throw reader.error(
    'KERAS_NO_KERAS_WEIGHTS',
    `an HDF5 file without Keras weights: no layer_names attribute, no model_weights, layers or vars group (root has ${children.length === 0 ? 'nothing' : children.slice(0, 8).join(', ')})`,
    '/',
  );
}

function readTensor(
  reader: H5FileReader,
  tensor: PlannedTensor,
  blockBytes: number,
  copy: boolean,
): CheckpointTensor {
  const itemSize = dtypeSize(tensor.dtype);
  const context = { layer: tensor.kerasLayer, tensor: tensor.name };
  const total = tensor.shape.reduce((product, dim) => product * dim, itemSize);
  if (tensor.datasets.length === 1) {
    // Stored as it is: take the bytes from the file (HDF5 told where), without the wasm heap.
    const { path, info } = tensor.datasets[0]!;
    const position = reader.locateContiguous(path, info, context);
    if (position !== undefined) {
      const view = reader.fileBytes(position, total);
      return { dtype: tensor.dtype, shape: tensor.shape, data: copy ? new Uint8Array(view) : view };
    }
  }
  let data: Uint8Array;
  try {
    data = new Uint8Array(total);
  } catch (error) {
    throw reader.error(
      'KERAS_DATASET_TOO_LARGE',
      `cannot allocate ${total} bytes`,
      tensor.path,
      context,
      error,
    );
  }
  if (tensor.datasets.length === 1) {
    const { path, info } = tensor.datasets[0]!;
    reader.readDataset(path, info, data, blockBytes, context);
  } else {
    // Keras 1 gates: join on the last axis, row by row.
    const rows = tensor.shape.slice(0, -1).reduce((product, dim) => product * dim, 1);
    const outRow = tensor.shape.at(-1)! * itemSize;
    let column = 0;
    for (const { path, info } of tensor.datasets) {
      const partRow = (info.shape ?? []).at(-1)! * itemSize;
      const part = new Uint8Array(rows * partRow);
      reader.readDataset(path, info, part, blockBytes, context);
      for (let row = 0; row < rows; row++) {
        data.set(part.subarray(row * partRow, (row + 1) * partRow), row * outRow + column);
      }
      column += partRow;
    }
  }
  return { dtype: tensor.dtype, shape: tensor.shape, data };
}

async function readAll(source: ByteSource): Promise<Uint8Array> {
  try {
    return await source.read(0, source.size);
  } catch (error) {
    throw asKerasError(error, source.name);
  }
}

/** Errors from the source stay as they are; anything that is not a `ReprokitError` becomes one. */
function asKerasError(error: unknown, fileName: string): unknown {
  if (ReprokitError.isInstance(error)) return error;
  return new KerasError({
    code: 'KERAS_INVALID_HDF5',
    message: `reading the file failed: ${error instanceof Error ? error.message : String(error)}`,
    file: fileName,
    cause: error,
  });
}
