import { KerasError } from '../errors/keras-error.js';
import type { H5FileReader } from '../hdf5/h5-file-reader.js';
import {
  datasetSpec,
  joinPath,
  readNameList,
  readStringAttribute,
  resolveObject,
} from './h5-objects.js';
import { type ConfigLayer, parseModelConfig } from './keras-config.js';
import {
  KERAS_METADATA_KEYS,
  type KerasFormat,
  type KerasLayerInfo,
  type KerasSkippedObject,
  type PlannedLayout,
  type PlannedTensor,
} from './keras-layout.js';
import {
  automaticBaseName,
  isCellSegment,
  normaliseDirectionSegment,
  stripOutputIndex,
  structuralLayerNames,
} from './keras-names.js';
import type { LayoutOptions } from './layout-options.js';

/** Keras 1 LSTM gates, saved as 12 arrays; Keras 2 joins them in gate order i, f, c, o. */
const KERAS1_LSTM = ['i', 'f', 'c', 'o'];
/** Keras 1 GRU gates, saved as 9 arrays; Keras 2 joins them in gate order z, r, h. */
const KERAS1_GRU = ['z', 'r', 'h'];

/** Keras 1 variable suffixes (`dense_1_W`) -> Keras 2 names. */
const KERAS1_NAMES: Readonly<Record<string, string>> = {
  W: 'kernel',
  b: 'bias',
  U: 'recurrent_kernel',
  gamma: 'gamma',
  beta: 'beta',
  running_mean: 'moving_mean',
  running_std: 'moving_variance',
  alphas: 'alpha',
};

interface RawWeight {
  /** Weight name as listed in `weight_names`. */
  readonly listed: string;
  /** Full HDF5 path of its dataset. */
  readonly path: string;
}

/**
 * Plans a legacy Keras file: `save_weights('x.h5')` (weights at the root) or
 * `model.save('x.h5')` (weights under `/model_weights`), following Keras' own
 * `load_weights_from_hdf5_group`: `layer_names` (possibly split into `layer_names0..N`) lists the
 * layers in model order, each layer group's `weight_names` lists its datasets.
 */
export function planLegacyH5(
  reader: H5FileReader,
  format: Extract<KerasFormat, 'keras2-h5' | 'keras2-model-h5'>,
  options: LayoutOptions,
): PlannedLayout {
  const weightsRoot = format === 'keras2-model-h5' ? '/model_weights' : '/';
  const rootAttributes = reader.attributeNames('/');
  const weightsAttributes =
    weightsRoot === '/' ? rootAttributes : reader.attributeNames(weightsRoot);
  const metadata = new Map<string, string>([[KERAS_METADATA_KEYS.format, format]]);
  const version =
    readStringAttribute(reader, weightsRoot, 'keras_version', {}, weightsAttributes) ??
    readStringAttribute(reader, '/', 'keras_version', {}, rootAttributes);
  // Keras' loader takes a file without keras_version for a Keras 1 file.
  const kerasVersion = version ?? '1';
  metadata.set(KERAS_METADATA_KEYS.kerasVersion, kerasVersion);
  const backend =
    readStringAttribute(reader, weightsRoot, 'backend', {}, weightsAttributes) ??
    readStringAttribute(reader, '/', 'backend', {}, rootAttributes);
  if (backend !== undefined) metadata.set(KERAS_METADATA_KEYS.backend, backend);
  let config: ConfigLayer | undefined;
  const modelConfig = readStringAttribute(reader, '/', 'model_config', {}, rootAttributes);
  if (modelConfig !== undefined) {
    metadata.set(KERAS_METADATA_KEYS.modelConfig, modelConfig);
    config = parseJsonConfig(modelConfig);
  }
  const trainingConfig = readStringAttribute(reader, '/', 'training_config', {}, rootAttributes);
  if (trainingConfig !== undefined)
    metadata.set(KERAS_METADATA_KEYS.trainingConfig, trainingConfig);

  const layerNames = readNameList(reader, weightsRoot, 'layer_names', {}, weightsAttributes);
  const configByName = new Map((config?.layers ?? []).map((layer) => [layer.name, layer]));
  const structural = structuralLayerNames(
    layerNames.map((name) => ({ name, className: configByName.get(name)?.className })),
  );
  const raw = options.naming === 'h5';
  const keras1 = kerasVersion === '1' || kerasVersion.startsWith('1.');
  const tensors: PlannedTensor[] = [];
  const layers: KerasLayerInfo[] = [];
  const skipped: KerasSkippedObject[] = [];

  layerNames.forEach((kerasName, index) => {
    const context = { layer: kerasName };
    const group = resolveObject(reader, weightsRoot, kerasName, 'group', context);
    const weights: RawWeight[] = readNameList(reader, group, 'weight_names', context).map(
      (listed) => ({
        listed,
        path: resolveObject(reader, group, listed, 'dataset', { ...context, tensor: listed }),
      }),
    );
    if (weights.length === 0) return;
    const layerConfig = configByName.get(kerasName);
    const layerPath = raw ? group.slice(1) : structural[index]!;
    const planned = raw
      ? weights.map((weight) => ({ name: weight.path.slice(1), parts: [weight] }))
      : nameLayerWeights(kerasName, layerPath, weights, layerConfig, keras1);
    const names: string[] = [];
    for (const entry of planned) {
      const tensor = planTensor(
        reader,
        entry.name,
        entry.parts,
        layerPath,
        kerasName,
        'weight',
        options,
      );
      tensors.push(tensor);
      names.push(tensor.name);
    }
    layers.push({
      name: layerPath,
      kerasName,
      className: layerConfig?.className,
      group,
      tensors: names,
    });
  });

  // tf.keras 2.11+ and Keras 3: weights the model itself owns (a subclassed model's own variables).
  const topLevel = joinPath(weightsRoot, 'top_level_model_weights');
  if (reader.kind(topLevel) === 'group') {
    const context = { layer: 'top_level_model_weights' };
    const names: string[] = [];
    for (const listed of readNameList(reader, topLevel, 'weight_names', context)) {
      const path = resolveObject(reader, topLevel, listed, 'dataset', {
        ...context,
        tensor: listed,
      });
      const name = raw ? path.slice(1) : stripOutputIndex(listed);
      const tensor = planTensor(
        reader,
        name,
        [{ listed, path }],
        '',
        'top_level_model_weights',
        'weight',
        options,
      );
      tensors.push(tensor);
      names.push(tensor.name);
    }
    if (names.length > 0) {
      layers.push({
        name: '',
        kerasName: 'top_level_model_weights',
        group: topLevel,
        tensors: names,
      });
    }
  }

  // model.save('x.h5') with an optimizer: its state, in the optimizer's own order.
  if (format === 'keras2-model-h5' && reader.kind('/optimizer_weights') === 'group') {
    const context = { layer: 'optimizer_weights' };
    for (const listed of readNameList(reader, '/optimizer_weights', 'weight_names', context)) {
      const path = resolveObject(reader, '/optimizer_weights', listed, 'dataset', {
        ...context,
        tensor: listed,
      });
      if (options.optimizer !== true) {
        skipped.push({
          path,
          reason: 'optimizer state (read with { optimizer: true } to include it)',
        });
        continue;
      }
      const name = raw ? path.slice(1) : `optimizer/${stripOutputIndex(listed)}`;
      tensors.push(
        planTensor(
          reader,
          name,
          [{ listed, path }],
          'optimizer',
          'optimizer_weights',
          'optimizer',
          options,
        ),
      );
    }
  }
  return finishLayout(reader, format, tensors, layers, skipped, metadata);
}

/** Checks names are unique and records paths, layers and skipped objects in the metadata. */
export function finishLayout(
  reader: H5FileReader,
  format: KerasFormat,
  tensors: PlannedTensor[],
  layers: KerasLayerInfo[],
  skipped: KerasSkippedObject[],
  metadata: Map<string, string>,
): PlannedLayout {
  const seen = new Map<string, string>();
  const paths: Record<string, string | readonly string[]> = {};
  for (const tensor of tensors) {
    const other = seen.get(tensor.name);
    if (other !== undefined) {
      throw new KerasError({
        code: 'KERAS_DUPLICATE_TENSOR_NAME',
        message: `weights "${other}" and "${tensor.path}" both get the checkpoint name "${tensor.name}"; read with { naming: 'h5' } to keep the file's own paths`,
        file: reader.fileName,
        layer: tensor.kerasLayer,
        tensor: tensor.name,
        h5Path: tensor.path,
      });
    }
    seen.set(tensor.name, tensor.path);
    paths[tensor.name] = tensor.parts ?? tensor.path;
  }
  metadata.set(KERAS_METADATA_KEYS.paths, JSON.stringify(paths));
  metadata.set(KERAS_METADATA_KEYS.layers, JSON.stringify(layers));
  if (skipped.length > 0) metadata.set(KERAS_METADATA_KEYS.skipped, JSON.stringify(skipped));
  return { format, layers, tensors, skipped, metadata };
}

function parseJsonConfig(text: string): ConfigLayer | undefined {
  try {
    return parseModelConfig(JSON.parse(text));
  } catch {
    // The weights do not depend on the config; it stays in the metadata as it was.
    return undefined;
  }
}

/** Reads shape and dtype of each part and makes one planned tensor (parts joined on the last axis). */
export function planTensor(
  reader: H5FileReader,
  name: string,
  parts: readonly RawWeight[],
  layer: string,
  kerasLayer: string,
  role: PlannedTensor['role'],
  options: LayoutOptions,
): PlannedTensor {
  const datasets = parts.map((part) => {
    const context = { layer: kerasLayer, tensor: name };
    const spec = datasetSpec(reader, part.path, context, options.maxTensorBytes);
    return { path: part.path, ...spec };
  });
  const first = datasets[0]!;
  const shape = [...first.shape];
  for (const other of datasets.slice(1)) {
    const same =
      other.dtype === first.dtype &&
      other.shape.length === shape.length &&
      other.shape.slice(0, -1).every((dim, axis) => dim === shape[axis]);
    if (!same || shape.length === 0) {
      throw reader.error(
        'KERAS_INVALID_HDF5',
        `Keras 1 gate arrays cannot be joined: ${first.path} is ${first.dtype} [${first.shape.join(',')}], ${other.path} is ${other.dtype} [${other.shape.join(',')}]`,
        other.path,
        { layer: kerasLayer, tensor: name },
      );
    }
    shape[shape.length - 1]! += other.shape.at(-1)!;
  }
  return {
    name,
    dtype: first.dtype,
    shape,
    layer,
    kerasLayer,
    path: first.path,
    ...(datasets.length > 1 ? { parts: datasets.map((dataset) => dataset.path) } : {}),
    role,
    datasets: datasets.map(({ path, info }) => ({ path, info })),
  };
}

interface NamedWeight {
  readonly name: string;
  readonly parts: readonly RawWeight[];
}

/** Checkpoint names for one layer's weights (see docs/keras-files.md, "Names"). */
function nameLayerWeights(
  kerasName: string,
  layerPath: string,
  weights: readonly RawWeight[],
  config: ConfigLayer | undefined,
  keras1: boolean,
): NamedWeight[] {
  const base =
    automaticBaseName(kerasName, config?.className) ??
    (config !== undefined ? undefined : automaticBaseName(kerasName));
  const keras1Named = keras1 ? keras1Weights(kerasName, weights, base) : undefined;
  if (keras1Named !== undefined) {
    return keras1Named.map((entry) => ({ name: `${layerPath}/${entry.name}`, parts: entry.parts }));
  }
  const isWrapper = config?.className === 'TimeDistributed' || base === 'time_distributed';
  // Each weight's path below the layer: inner layers (nested models), direction halves, its name.
  const relative = weights.map((weight) => {
    const segments = stripOutputIndex(weight.listed).split('/');
    const own = segments.slice(0, -1).lastIndexOf(kerasName);
    const rest = own >= 0 ? segments.slice(own + 1) : segments;
    const inner: Array<{ kind: 'layer' | 'direction'; value: string }> = [];
    for (const segment of rest.slice(0, -1)) {
      if (isCellSegment(segment)) continue;
      const direction = normaliseDirectionSegment(segment);
      if (direction !== undefined) inner.push({ kind: 'direction', value: direction });
      else if (!isWrapper) inner.push({ kind: 'layer', value: segment });
    }
    return { weight, inner, short: rest.at(-1)! };
  });
  const innerNames = renumberInner(
    relative.map((entry) => entry.inner),
    config,
  );
  return relative.map((entry, index) => {
    const path = innerNames[index]!;
    return {
      name: [layerPath, ...path, entry.short].join('/'),
      parts: [entry.weight],
    };
  });
}

/** A level of nested layers: raw names in order of first appearance, and their own levels. */
interface InnerLevel {
  readonly config: ConfigLayer | undefined;
  readonly children: Map<string, InnerLevel>;
  structural?: Map<string, string>;
}

/**
 * Renames inner layers of nested models structurally, level by level: within one parent, the
 * inner layer names in order of first appearance go through `structuralLayerNames` (with their
 * classes when the config has them). Direction segments (`forward_lstm`) are kept as they are.
 */
function renumberInner(
  lists: ReadonlyArray<ReadonlyArray<{ kind: 'layer' | 'direction'; value: string }>>,
  config: ConfigLayer | undefined,
): string[][] {
  const root: InnerLevel = { config, children: new Map() };
  for (const list of lists) {
    let level = root;
    for (const segment of list) {
      if (segment.kind !== 'layer') continue;
      let child = level.children.get(segment.value);
      if (child === undefined) {
        const childConfig = level.config?.layers?.find((layer) => layer.name === segment.value);
        child = { config: childConfig, children: new Map() };
        level.children.set(segment.value, child);
      }
      level = child;
    }
  }
  const namesOf = (level: InnerLevel): Map<string, string> => {
    if (level.structural === undefined) {
      const raw = [...level.children.keys()];
      const structural = structuralLayerNames(
        raw.map((name) => ({ name, className: level.children.get(name)?.config?.className })),
      );
      level.structural = new Map(raw.map((name, index) => [name, structural[index]!]));
    }
    return level.structural;
  };
  return lists.map((list) => {
    let level = root;
    return list.map((segment) => {
      if (segment.kind === 'direction') return segment.value;
      const name = namesOf(level).get(segment.value)!;
      level = level.children.get(segment.value)!;
      return name;
    });
  });
}

/**
 * Keras 1 weights (`lstm_1_W_i`, `dense_1_W`: no `/`, the layer name as prefix): Keras 2 names,
 * with an LSTM's 12 and a GRU's 9 per-gate arrays joined the way Keras 2's loader joins them.
 * `undefined` when the layer's weights are not Keras 1 style.
 */
function keras1Weights(
  kerasName: string,
  weights: readonly RawWeight[],
  base: string | undefined,
): Array<{ name: string; parts: RawWeight[] }> | undefined {
  const prefix = `${kerasName}_`;
  const suffixes = weights.map((weight) => {
    const name = stripOutputIndex(weight.listed);
    return !name.includes('/') && name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
  });
  if (suffixes.some((suffix) => suffix === undefined)) return undefined;
  const bySuffix = new Map(weights.map((weight, index) => [suffixes[index]!, weight]));
  for (const gates of [KERAS1_LSTM, KERAS1_GRU]) {
    const wanted = gates.flatMap((gate) => [`W_${gate}`, `U_${gate}`, `b_${gate}`]);
    if (weights.length === wanted.length && wanted.every((suffix) => bySuffix.has(suffix))) {
      return [
        ['kernel', 'W'],
        ['recurrent_kernel', 'U'],
        ['bias', 'b'],
      ].map(([name, letter]) => ({
        name: name!,
        parts: gates.map((gate) => bySuffix.get(`${letter}_${gate}`)!),
      }));
    }
  }
  return weights.map((weight, index) => {
    const suffix = suffixes[index]!;
    const name =
      suffix === 'W' && base === 'embedding' ? 'embeddings' : (KERAS1_NAMES[suffix] ?? suffix);
    return { name, parts: [weight] };
  });
}
