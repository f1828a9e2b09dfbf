import {
  bfloat16ToFloat32Array,
  type Checkpoint,
  type CheckpointTensor,
  type Dtype,
  dtypeSize,
  elementCount,
  float16ToFloat32Array,
  toStorageArray,
} from '@reprokit/core';
import { KerasError } from '../errors/keras-error.js';
import { clearModificationTimes } from '../hdf5/clear-modification-times.js';
import { H5FileWriter, isWritableDtype } from '../hdf5/h5-file-writer.js';
import { type H5wasmLike, loadH5Module } from '../hdf5/h5-module.js';
import { KERAS_METADATA_KEYS, type KerasLayerInfo } from '../read/keras-layout.js';
import { inKerasVariableOrder } from '../read/layer-variables.js';
import { concatBytes, encodeZip } from '../zip/zip-writer.js';
import {
  allTensors,
  checkpointTree,
  isDirection,
  type LayerNode,
  type TreeTensor,
} from './checkpoint-tree.js';
import { type ClassSources, layerClassOf, RNN_CELLS, requireLayerClass } from './layer-class.js';

/** Keras caps one attribute at this many bytes and splits longer name lists (`layer_names0..N`). */
const HDF5_OBJECT_HEADER_LIMIT = 64512;
const DEFAULT_BLOCK_BYTES = 8 << 20;
const MODEL_BASES = new Set(['sequential', 'functional', 'model']);

/** The files `encodeKeras` writes. */
export type KerasWriteFormat = 'keras2-h5' | 'keras3-weights-h5' | 'keras-zip';

export interface EncodeKerasOptions {
  /**
   * - `keras2-h5`: what `model.save_weights('x.h5')` writes in Keras 2 / tf.keras (and what
   *   `load_weights` of Keras 2, tf.keras and Keras 3 reads, by layer order).
   * - `keras3-weights-h5`: Keras 3 `model.save_weights('x.weights.h5')`.
   * - `keras-zip`: a `.keras` archive; needs the model's `config.json` (`options.config`, or the
   *   checkpoint metadata of a `.keras` file `readKeras` read).
   */
  format: KerasWriteFormat;
  /**
   * Keras class of layers whose class the names and weights do not tell (user-named
   * convolutions, nested models): structural layer path -> class, e.g.
   * `{ head: 'Dense', encoder: 'Sequential' }`. The Keras 3 layout names groups by class.
   */
  layerClasses?: Readonly<Record<string, string>>;
  /** `keras_version` attribute of a `keras2-h5` file (default `2.15.0`). */
  kerasVersion?: string;
  /** `backend` attribute of a `keras2-h5` file (default `tensorflow`). */
  backend?: string;
  /** `config.json` of a `keras-zip` archive (default: the checkpoint's `keras.model_config`). */
  config?: string;
  /**
   * Optimizer state (`optimizer/...` tensors) has no place in these files: `error` (default)
   * refuses a checkpoint that has some, `skip` leaves them out.
   */
  optimizer?: 'error' | 'skip';
  /** Tensor data passes through the wasm heap in blocks of at most this many bytes (default 8 MiB). */
  blockBytes?: number;
  h5wasm?: H5wasmLike;
}

/**
 * Writes a checkpoint as a Keras weights file, in memory: a Keras 2 `save_weights` `.h5`, a
 * Keras 3 `.weights.h5`, or a `.keras` archive. The checkpoint's names are structural names (as
 * `readKeras` and `tfjsCheckpoint(tf).read(model)` give them): the first segment is the layer, the
 * last the weight. The files have exactly the attributes Keras' loaders check (`layer_names`,
 * `weight_names` as byte strings, `backend`, `keras_version`; `layers/<class>/vars/<i>`), and
 * HDF5 1.8/1.10 read them (h5py 3.7 on Debian bookworm is tested). Float16 and bfloat16 tensors
 * are stored as float32 (exact: h5wasm cannot create 2-byte float or opaque types), BOOL as uint8.
 * The same checkpoint gives the same bytes: the modification times HDF5 stamps on datasets are
 * set to 0.
 *
 * @example
 * const bytes = await encodeKeras(await tfjsCheckpoint(tf).read(model), { format: 'keras2-h5' });
 * // Python: model.load_weights('test.h5')
 */
export async function encodeKeras(
  checkpoint: Checkpoint,
  options: EncodeKerasOptions,
): Promise<Uint8Array> {
  const tensors = [...checkpoint.tensors].filter(([name]) => {
    if (!name.startsWith('optimizer/')) return true;
    if (options.optimizer === 'skip') return false;
    throw new KerasError({
      code: 'KERAS_INVALID_CHECKPOINT',
      message:
        'optimizer state has no place in a Keras weights file; pass { optimizer: "skip" } to leave it out',
      tensor: name,
    });
  });
  for (const [name, tensor] of tensors) checkTensor(name, tensor);
  const tree = checkpointTree(tensors);
  const sources: ClassSources = {
    given: options.layerClasses,
    recorded: recordedClasses(checkpoint),
  };
  const module = await loadH5Module(options.h5wasm);
  const started = Math.floor(Date.now() / 1000) - 1;
  const writer = H5FileWriter.create(module);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  let h5: Uint8Array;
  try {
    if (options.format === 'keras2-h5') writeKeras2(writer, tree, sources, options, blockBytes);
    else writeKeras3(writer, tree, sources, blockBytes);
    h5 = writer.finish();
    clearModificationTimes(h5, started, Math.ceil(Date.now() / 1000) + 1);
  } catch (error) {
    writer.abort();
    throw error;
  }
  if (options.format !== 'keras-zip') return h5;
  const config = options.config ?? checkpoint.metadata.get(KERAS_METADATA_KEYS.modelConfig);
  if (config === undefined) {
    throw new KerasError({
      code: 'KERAS_INVALID_CHECKPOINT',
      message: 'a .keras archive needs the model config (config.json): pass options.config',
    });
  }
  const metadata =
    checkpoint.metadata.get(KERAS_METADATA_KEYS.archiveMetadata) ??
    // A fixed date, so the same checkpoint always gives the same bytes.
    JSON.stringify({
      keras_version: options.kerasVersion ?? '3.6.0',
      date_saved: '1980-01-01@00:00:00',
    });
  const encoder = new TextEncoder();
  return concatBytes(
    await encodeZip([
      { name: 'metadata.json', data: encoder.encode(metadata) },
      { name: 'config.json', data: encoder.encode(config) },
      { name: 'model.weights.h5', data: h5 },
    ]),
  );
}

/**
 * tf.keras `save_weights_to_hdf5_group`: `layer_names` (model order), `backend`,
 * `keras_version` at the root; per layer a group (created in name order, as Keras sorts them)
 * with `weight_names` and the datasets at `<layer>/<weight name>`; weight names as tf.keras gives
 * them (`dense/kernel:0`, `lstm/lstm_cell/kernel:0`; in a nested model `dense/kernel:0` in the
 * model's group, trainable weights before non-trainable ones); an empty `top_level_model_weights`.
 */
function writeKeras2(
  writer: H5FileWriter,
  tree: LayerNode,
  sources: ClassSources,
  options: EncodeKerasOptions,
  blockBytes: number,
): void {
  const layers = [...tree.children.values()];
  writeNameList(
    writer,
    '/',
    'layer_names',
    layers.map((layer) => layer.name),
  );
  writer.stringsAttribute('/', 'backend', [options.backend ?? 'tensorflow'], true);
  writer.stringsAttribute('/', 'keras_version', [options.kerasVersion ?? '2.15.0'], true);
  const sorted = [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const layer of sorted) {
    const group = `/${layer.name}`;
    writer.group(group);
    const weights = keras2Weights(layer, sources);
    writeNameList(
      writer,
      group,
      'weight_names',
      weights.map((weight) => weight.listed),
    );
    for (const weight of weights) {
      writeTensor(writer, `${group}/${weight.listed}`, weight.entry, blockBytes);
    }
  }
  writer.group('/top_level_model_weights');
  const own = tree.tensors.map((entry) => ({ listed: `${entry.short}:0`, entry }));
  writeNameList(
    writer,
    '/top_level_model_weights',
    'weight_names',
    own.map((weight) => weight.listed),
  );
  for (const weight of own)
    writeTensor(writer, `/top_level_model_weights/${weight.listed}`, weight.entry, blockBytes);
}

function keras2Weights(
  layer: LayerNode,
  sources: ClassSources,
): Array<{ listed: string; entry: TreeTensor }> {
  const base = layerClassOf(layer, sources);
  const inner = [...layer.children.values()];
  const nested = inner.length > 0 && !inner.every(isDirection);
  if (!nested) {
    const own = layer.tensors.map((entry) => ({
      listed: `${layer.name}/${cellScope(base)}${entry.short}:0`,
      entry,
    }));
    const halves = inner.flatMap((half) => {
      const halfBase = half.name.replace(/^(forward|backward)_/, '');
      return half.tensors.map((entry) => ({
        listed: `${layer.name}/${half.name}/${cellScope(halfBase)}${entry.short}:0`,
        entry,
      }));
    });
    return [...own, ...halves];
  }
  // A nested model: tf.keras lists all trainable weights of its layers, then the non-trainable ones.
  const all = allTensors(layer).map((entry) => {
    const relative = entry.name.slice(layer.path.length + 1).split('/');
    const owner = findNode(layer, relative.slice(0, -1));
    const ownerBase = owner === undefined ? undefined : layerClassOf(owner, sources);
    return {
      listed: `${relative.slice(0, -1).join('/')}/${cellScope(ownerBase)}${entry.short}:0`,
      entry,
    };
  });
  const nonTrainable = (short: string) => short === 'moving_mean' || short === 'moving_variance';
  return [
    ...all.filter((weight) => !nonTrainable(weight.entry.short)),
    ...all.filter((weight) => nonTrainable(weight.entry.short)),
  ];
}

/**
 * Keras 3 `saving_lib`: each layer of a model under `layers/<snake_case class>[_<n>]` (numbered
 * per class in model order), its variables as datasets `0`, `1`, ... of its `vars` group (with
 * the layer's name as the group's `name` attribute, as Keras >= 3.6 writes); an RNN's under
 * `<rnn>/cell/vars`, a Bidirectional's under `forward_layer` / `backward_layer`, a
 * TimeDistributed's under `layer`, a nested model's layers under `<model>/layers/`.
 */
function writeKeras3(
  writer: H5FileWriter,
  tree: LayerNode,
  sources: ClassSources,
  blockBytes: number,
): void {
  writer.group('/vars');
  for (const [index, entry] of tree.tensors.entries()) {
    writeTensor(writer, `/vars/${index}`, entry, blockBytes);
  }
  writeContainer(writer, '/layers', [...tree.children.values()], sources, blockBytes);
}

function writeContainer(
  writer: H5FileWriter,
  path: string,
  layers: readonly LayerNode[],
  sources: ClassSources,
  blockBytes: number,
): void {
  const used = new Map<string, number>();
  for (const layer of layers) {
    // tfjs calls functional models `Model`; Keras 3 saves them as class `Functional`.
    const found = requireLayerClass(layer, sources);
    const base = found === 'model' ? 'functional' : found;
    const count = used.get(base);
    used.set(base, (count ?? -1) + 1);
    const group = `${path}/${count === undefined ? base : `${base}_${count + 1}`}`;
    writeSaveable(writer, group, layer, base, sources, blockBytes);
  }
}

function writeSaveable(
  writer: H5FileWriter,
  group: string,
  layer: LayerNode,
  base: string,
  sources: ClassSources,
  blockBytes: number,
): void {
  const children = [...layer.children.values()];
  const own = (
    path: string,
    name: string | undefined,
    entries: readonly TreeTensor[],
    variablesOf = base,
  ) => {
    writer.group(`${path}/vars`);
    if (name !== undefined) writer.textAttribute(`${path}/vars`, 'name', name);
    for (const [index, entry] of inKerasVariableOrder(variablesOf, entries).entries()) {
      writeTensor(writer, `${path}/vars/${index}`, entry, blockBytes);
    }
  };
  if (MODEL_BASES.has(base) || (children.length > 0 && !children.every(isDirection))) {
    own(group, layer.name, layer.tensors);
    writeContainer(writer, `${group}/layers`, children, sources, blockBytes);
    return;
  }
  if (base === 'bidirectional') {
    own(group, layer.name, layer.tensors);
    for (const half of children) {
      const side = half.name.startsWith('forward_') ? 'forward_layer' : 'backward_layer';
      const rnn = half.name.replace(/^(forward|backward)_/, '');
      own(`${group}/${side}`, half.name, []);
      const cell = RNN_CELLS[rnn] ?? `${rnn}_cell`;
      own(`${group}/${side}/cell`, cell, half.tensors, cell);
    }
    return;
  }
  if (RNN_CELLS[base] !== undefined) {
    own(group, layer.name, []);
    own(`${group}/cell`, RNN_CELLS[base]!, layer.tensors, RNN_CELLS[base]!);
    return;
  }
  if (base === 'time_distributed') {
    own(group, layer.name, []);
    // The wrapped layer's own name is not in the checkpoint: leave it unnamed, as Keras 3.2 did.
    own(`${group}/layer`, undefined, layer.tensors);
    return;
  }
  own(group, layer.name, layer.tensors);
}

/** `save_attributes_to_hdf5_group`: one attribute, or `name0`, `name1`, ... past 64512 bytes. */
function writeNameList(
  writer: H5FileWriter,
  path: string,
  name: string,
  values: readonly string[],
): void {
  if (values.length === 0) {
    writer.emptyListAttribute(path, name);
    return;
  }
  const lengths = values.map((value) => new TextEncoder().encode(value).length);
  const tooLong = values.find((_, index) => lengths[index]! > HDF5_OBJECT_HEADER_LIMIT);
  if (tooLong !== undefined) {
    throw new KerasError({
      code: 'KERAS_INVALID_CHECKPOINT',
      message: `a name longer than ${HDF5_OBJECT_HEADER_LIMIT} bytes cannot be stored (Keras refuses it too)`,
      tensor: tooLong.slice(0, 80),
      h5Path: path,
    });
  }
  // numpy's array_split into n nearly equal chunks; each chunk's bytes: count * (longest + 1).
  for (let chunks = 1; ; chunks++) {
    const parts = arraySplit(values, chunks);
    const fits = parts.every(
      (part) =>
        part.length *
          (Math.max(...part.map((value) => new TextEncoder().encode(value).length)) + 1) <=
        HDF5_OBJECT_HEADER_LIMIT,
    );
    if (!fits) continue;
    if (chunks === 1) writer.stringsAttribute(path, name, values);
    else {
      for (const [index, part] of parts.entries())
        writer.stringsAttribute(path, `${name}${index}`, part);
    }
    return;
  }
}

function arraySplit<T>(values: readonly T[], chunks: number): T[][] {
  const size = Math.floor(values.length / chunks);
  const extra = values.length % chunks;
  const parts: T[][] = [];
  let at = 0;
  for (let index = 0; index < chunks; index++) {
    const length = size + (index < extra ? 1 : 0);
    parts.push(values.slice(at, at + length));
    at += length;
  }
  return parts;
}

function writeTensor(
  writer: H5FileWriter,
  path: string,
  entry: TreeTensor,
  blockBytes: number,
): void {
  const { dtype, data } = storable(entry.name, entry.tensor);
  writer.dataset(path, dtype, entry.tensor.shape, data, blockBytes, entry.name);
}

/** The dtype and bytes to store: float16/bfloat16 widened to float32 (exactly), BOOL as uint8. */
function storable(name: string, tensor: CheckpointTensor): { dtype: Dtype; data: Uint8Array } {
  if (isWritableDtype(tensor.dtype)) return { dtype: tensor.dtype, data: tensor.data };
  if (tensor.dtype === 'BOOL') return { dtype: 'U8', data: tensor.data };
  if (tensor.dtype === 'F16' || tensor.dtype === 'BF16') {
    const bits = toStorageArray(tensor, name) as Uint16Array;
    const floats =
      tensor.dtype === 'F16' ? float16ToFloat32Array(bits) : bfloat16ToFloat32Array(bits);
    return {
      dtype: 'F32',
      data: new Uint8Array(floats.buffer, floats.byteOffset, floats.byteLength),
    };
  }
  throw new KerasError({
    code: 'KERAS_INVALID_CHECKPOINT',
    message: `${tensor.dtype} tensors cannot be stored in a Keras weights file`,
    tensor: name,
  });
}

function checkTensor(name: string, tensor: CheckpointTensor): void {
  const segments = name.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new KerasError({
      code: 'KERAS_INVALID_CHECKPOINT',
      message: 'a tensor name with an empty, "." or ".." segment cannot be an HDF5 path',
      tensor: name,
    });
  }
  const expected = elementCount(tensor.shape) * dtypeSize(tensor.dtype);
  if (tensor.data.length !== expected) {
    throw new KerasError({
      code: 'KERAS_INVALID_CHECKPOINT',
      message: `${tensor.dtype} [${tensor.shape.join(',')}] needs ${expected} bytes, the tensor has ${tensor.data.length}`,
      tensor: name,
    });
  }
}

function cellScope(base: string | undefined): string {
  const cell = base === undefined ? undefined : RNN_CELLS[base];
  return cell === undefined ? '' : `${cell}/`;
}

function findNode(root: LayerNode, path: readonly string[]): LayerNode | undefined {
  let node: LayerNode | undefined = root;
  for (const segment of path) node = node?.children.get(segment);
  return node;
}

/** Layer classes `readKeras` recorded, by structural path. */
function recordedClasses(checkpoint: Checkpoint): Map<string, string> {
  const text = checkpoint.metadata.get(KERAS_METADATA_KEYS.layers);
  const classes = new Map<string, string>();
  if (text === undefined) return classes;
  try {
    for (const layer of JSON.parse(text) as KerasLayerInfo[]) {
      if (typeof layer.name === 'string' && typeof layer.className === 'string')
        classes.set(layer.name, layer.className);
    }
  } catch {
    // Metadata from elsewhere: ignore it, names and weights still tell most classes.
  }
  return classes;
}
