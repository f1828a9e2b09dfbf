import type { Dtype } from '@reprokit/core';
import type { H5FileReader, H5Metadata } from '../hdf5/h5-file-reader.js';
import { datasetSpec, joinPath, readStringAttribute } from './h5-objects.js';
import type { ConfigLayer } from './keras-config.js';
import {
  KERAS_METADATA_KEYS,
  type KerasLayerInfo,
  type KerasSkippedObject,
  type PlannedLayout,
  type PlannedTensor,
} from './keras-layout.js';
import { automaticBaseName, kerasSnakeCase, structuralLayerNames } from './keras-names.js';
import { CELL_OF, layerVariableNames } from './layer-variables.js';
import type { LayoutOptions } from './layout-options.js';
import { finishLayout } from './legacy-h5-layout.js';

/** Class of a wrapped layer (`<td>/layer`) nothing names: told from its variables' shapes. */
const UNKNOWN_WRAPPED = '?wrapped';

/** Keras 3 names the layer container `layers`; tf.keras 2.13 `.keras` files named it this. */
const CONTAINERS = ['layers', '_layer_checkpoint_dependencies'];

/** What the `.keras` archive around the weights says. */
export interface ArchiveContext {
  readonly config?: ConfigLayer | undefined;
}

interface VariableSpec {
  readonly path: string;
  readonly info: H5Metadata;
  readonly dtype: Dtype;
  readonly shape: number[];
}

interface Walk {
  readonly reader: H5FileReader;
  readonly options: LayoutOptions;
  readonly tensors: PlannedTensor[];
  readonly skipped: KerasSkippedObject[];
}

/**
 * Plans a Keras 3 `.weights.h5` (or the `model.weights.h5` of a `.keras` archive), following
 * `saving_lib`: each saveable's variables are datasets `0`, `1`, ... in a `vars` group under the
 * saveable's path; layers of a model sit under `layers/<snake_case class>[_<n>]` (`dense`,
 * `dense_1`: the class, not the layer's name, which newer writers keep in the `vars` group's
 * `name` attribute); an RNN's variables under `<rnn>/cell/vars`, a wrapper's under `<td>/layer`,
 * a Bidirectional's under `forward_layer` / `backward_layer`; the optimizer under `optimizer`.
 */
export function planKeras3(
  reader: H5FileReader,
  options: LayoutOptions,
  format: 'keras3-weights-h5' | 'keras-zip',
  archive: ArchiveContext = {},
  metadata = new Map<string, string>(),
): PlannedLayout {
  metadata.set(KERAS_METADATA_KEYS.format, format);
  const walk: Walk = { reader, options, tensors: [], skipped: [] };
  const layers: KerasLayerInfo[] = [];
  for (const child of reader.children('/')) {
    const path = joinPath('/', child);
    if (reader.kind(path) !== 'group') {
      walk.skipped.push({ path, reason: 'not a group of the Keras weights layout' });
      continue;
    }
    if (CONTAINERS.includes(child)) {
      for (const layer of walkContainer(walk, path, '', archive.config)) layers.push(layer);
    } else if (child === 'vars') {
      // The model's own variables (a subclassed model's weights).
      const before = walk.tensors.length;
      addVariables(walk, path, undefined, undefined, '', '', archive.config?.name ?? '', 'weight');
      const names = walk.tensors.slice(before).map((tensor) => tensor.name);
      if (names.length > 0) {
        layers.push({
          name: '',
          kerasName: archive.config?.name ?? '',
          className: archive.config?.className,
          group: '/',
          tensors: names,
        });
      }
    } else if (options.optimizer) {
      walkSaveable(walk, path, child, undefined, undefined, child, child, 'optimizer');
    } else {
      skipTree(
        walk,
        path,
        `${child === 'optimizer' ? 'optimizer' : 'training'} state (read with { optimizer: true } to include it)`,
      );
    }
  }
  return finishLayout(reader, format, walk.tensors, layers, walk.skipped, metadata);
}

/** The layers of one model: `layers/<group>` children, in model order when the config gives it. */
function walkContainer(
  walk: Walk,
  path: string,
  prefix: string,
  model: ConfigLayer | undefined,
  topLayer?: string,
): KerasLayerInfo[] {
  const { reader } = walk;
  const groups = reader.children(path).filter((name) => {
    const kind = reader.kind(joinPath(path, name));
    if (kind !== 'group')
      walk.skipped.push({
        path: joinPath(path, name),
        reason: `a ${kind} where a layer group was expected`,
      });
    return kind === 'group';
  });
  const configLayers = model?.layers ?? [];
  const entries = groups.map((group) => {
    const match = /^(.*?)(?:_(\d+))?$/.exec(group)!;
    const base = match[1]!;
    const occurrence = match[2] === undefined ? 0 : Number(match[2]);
    // Keras numbers the groups per class in model order: the n-th layer of that class.
    const sameClass = configLayers.filter((layer) => kerasSnakeCase(layer.className) === base);
    const config = sameClass[occurrence];
    const varsPath = joinPath(joinPath(path, group), 'vars');
    const nameAttribute =
      reader.kind(varsPath) === 'group'
        ? readStringAttribute(reader, varsPath, 'name', { layer: group })
        : undefined;
    const position = config === undefined ? Number.POSITIVE_INFINITY : configLayers.indexOf(config);
    return {
      group,
      base,
      occurrence,
      config,
      kerasName: config?.name ?? nameAttribute ?? group,
      position,
    };
  });
  // Model order from the config; without one, group names (the class counter) are all there is.
  entries.sort(
    (a, b) =>
      a.position - b.position ||
      (a.base < b.base ? -1 : a.base > b.base ? 1 : 0) ||
      a.occurrence - b.occurrence,
  );
  const structural = structuralLayerNames(
    entries.map((entry) => ({
      name: entry.kerasName,
      className: entry.config?.className ?? entry.base,
    })),
  );
  const layers: KerasLayerInfo[] = [];
  entries.forEach((entry, index) => {
    const layerPath = `${prefix}${structural[index]!}`;
    const groupPath = joinPath(path, entry.group);
    const before = walk.tensors.length;
    const name = walk.options.naming === 'h5' ? groupPath.slice(1) : layerPath;
    walkSaveable(
      walk,
      groupPath,
      entry.base,
      entry.config,
      undefined,
      name,
      entry.kerasName,
      'weight',
      topLayer ?? name,
    );
    const names = walk.tensors.slice(before).map((tensor) => tensor.name);
    if (names.length > 0 && prefix === '') {
      layers.push({
        name,
        kerasName: entry.kerasName,
        className: entry.config?.className ?? entry.base,
        group: groupPath,
        tensors: names,
      });
    }
  });
  return layers;
}

/**
 * One saveable: its own `vars`, then its children (`layers` of a nested model, an RNN's `cell`,
 * a wrapper's `layer`, a Bidirectional's halves, or any other attribute Keras walked into).
 */
function walkSaveable(
  walk: Walk,
  path: string,
  base: string | undefined,
  config: ConfigLayer | undefined,
  variableConfig: ConfigLayer | undefined,
  prefix: string,
  kerasLayer: string,
  role: PlannedTensor['role'],
  topLayer?: string,
): void {
  const { reader } = walk;
  const raw = walk.options.naming === 'h5';
  const layer = topLayer ?? (role === 'optimizer' ? prefix.split('/')[0]! : prefix);
  for (const child of reader.children(path)) {
    const childPath = joinPath(path, child);
    const kind = reader.kind(childPath, { layer: kerasLayer });
    if (kind !== 'group') {
      walk.skipped.push({ path: childPath, reason: `a ${kind} outside any vars group` });
      continue;
    }
    if (child === 'vars') {
      addVariables(
        walk,
        childPath,
        base,
        (variableConfig ?? config)?.config,
        prefix,
        layer,
        kerasLayer,
        role,
      );
    } else if (raw) {
      walkSaveable(
        walk,
        childPath,
        undefined,
        undefined,
        undefined,
        `${prefix}/${child}`,
        kerasLayer,
        role,
        layer,
      );
    } else if (CONTAINERS.includes(child)) {
      walkContainer(walk, childPath, `${prefix}/`, config, layer);
    } else if (child === 'cell') {
      const cellBase =
        (config?.inner !== undefined ? kerasSnakeCase(config.inner.className) : undefined) ??
        (base !== undefined ? CELL_OF[base] : undefined) ??
        nameAttributeBase(reader, childPath) ??
        guessRnnCell(reader, childPath, walk.options);
      walkSaveable(
        walk,
        childPath,
        cellBase,
        config?.inner,
        config,
        prefix,
        kerasLayer,
        role,
        layer,
      );
    } else if (child === 'layer') {
      // TimeDistributed (any Wrapper): the wrapped layer's weights are the wrapper's.
      const innerBase =
        (config?.inner !== undefined ? kerasSnakeCase(config.inner.className) : undefined) ??
        nameAttributeBase(reader, childPath) ??
        UNKNOWN_WRAPPED;
      walkSaveable(
        walk,
        childPath,
        innerBase,
        config?.inner,
        undefined,
        prefix,
        kerasLayer,
        role,
        layer,
      );
    } else if (child === 'forward_layer' || child === 'backward_layer') {
      const innerConfig =
        child === 'backward_layer'
          ? (asConfig(config?.config.backward_layer) ?? config?.inner)
          : config?.inner;
      const rnnBase =
        (innerConfig !== undefined ? kerasSnakeCase(innerConfig.className) : undefined) ??
        nameAttributeBase(
          reader,
          childPath,
          child === 'forward_layer' ? 'forward_' : 'backward_',
        ) ??
        rnnOfCell(nameAttributeBase(reader, joinPath(childPath, 'cell'))) ??
        rnnOfCell(guessRnnCell(reader, joinPath(childPath, 'cell'), walk.options));
      const direction = `${child === 'forward_layer' ? 'forward' : 'backward'}_${rnnBase ?? 'layer'}`;
      walkSaveable(
        walk,
        childPath,
        rnnBase,
        innerConfig,
        undefined,
        `${prefix}/${direction}`,
        kerasLayer,
        role,
        layer,
      );
    } else {
      walkSaveable(
        walk,
        childPath,
        undefined,
        undefined,
        undefined,
        `${prefix}/${child}`,
        kerasLayer,
        role,
        layer,
      );
    }
  }
}

function addVariables(
  walk: Walk,
  varsPath: string,
  base: string | undefined,
  config: Readonly<Record<string, unknown>> | undefined,
  prefix: string,
  layer: string,
  kerasLayer: string,
  role: PlannedTensor['role'],
): void {
  const { reader, options } = walk;
  const names = reader.children(varsPath, { layer: kerasLayer });
  const specs: VariableSpec[] = [];
  const indexed = names
    .map((name) => ({ name, index: /^(0|[1-9]\d*)$/.test(name) ? Number(name) : -1 }))
    .sort((a, b) => a.index - b.index || (a.name < b.name ? -1 : 1));
  for (const { name, index } of indexed) {
    const path = joinPath(varsPath, name);
    const kind = reader.kind(path, { layer: kerasLayer, tensor: name });
    if (kind !== 'dataset' || index < 0) {
      if (kind === 'soft-link' || kind === 'external-link') {
        throw reader.error(
          'KERAS_LINK_NOT_ALLOWED',
          `a ${kind} in a vars group (Keras refuses links too)`,
          path,
          { layer: kerasLayer },
        );
      }
      walk.skipped.push({
        path,
        reason:
          kind === 'dataset'
            ? 'a dataset whose name is not a variable index'
            : `a ${kind} in a vars group`,
      });
      continue;
    }
    specs.push({
      path,
      ...datasetSpec(reader, path, { layer: kerasLayer, tensor: name }, options.maxTensorBytes),
    });
  }
  if (specs.length === 0) return;
  const variableNames =
    options.naming === 'h5' || base === undefined
      ? undefined
      : base === UNKNOWN_WRAPPED
        ? kernelAndBias(specs)
        : layerVariableNames(base, specs.length, config);
  specs.forEach((spec, position) => {
    const leaf = variableNames?.[position] ?? `vars/${spec.path.slice(varsPath.length + 1)}`;
    const name =
      options.naming === 'h5' ? spec.path.slice(1) : prefix === '' ? leaf : `${prefix}/${leaf}`;
    walk.tensors.push({
      name,
      dtype: spec.dtype,
      shape: spec.shape,
      layer,
      kerasLayer,
      path: spec.path,
      role,
      datasets: [{ path: spec.path, info: spec.info }],
    });
  });
}

/**
 * The variables of a wrapped layer whose class nothing names (Keras 3.2 files without `name`
 * attributes, no config): a kernel of rank >= 2 and a bias as long as its last axis, as Dense
 * and convolutions have. Anything else keeps indexed names.
 */
function kernelAndBias(specs: readonly VariableSpec[]): readonly string[] | undefined {
  const [kernel, bias] = specs;
  if (kernel === undefined || kernel.shape.length < 2) return undefined;
  if (specs.length === 1) return ['kernel'];
  if (specs.length === 2 && bias!.shape.length === 1 && bias!.shape[0] === kernel.shape.at(-1)) {
    return ['kernel', 'bias'];
  }
  return undefined;
}

function skipTree(walk: Walk, path: string, reason: string): void {
  for (const child of walk.reader.children(path)) {
    const childPath = joinPath(path, child);
    const kind = walk.reader.kind(childPath);
    if (kind === 'group') skipTree(walk, childPath, reason);
    else walk.skipped.push({ path: childPath, reason });
  }
}

/** The class base from a `vars` group's `name` attribute (`dense_4` -> `dense`), if automatic. */
function nameAttributeBase(
  reader: H5FileReader,
  saveablePath: string,
  strip = '',
): string | undefined {
  const vars = joinPath(saveablePath, 'vars');
  if (reader.kind(vars) !== 'group') return undefined;
  const name = readStringAttribute(reader, vars, 'name', {});
  if (name === undefined) return undefined;
  return automaticBaseName(name.startsWith(strip) ? name.slice(strip.length) : name);
}

/** LSTM, GRU or SimpleRNN cell, from its recurrent kernel `[units, gates * units]`. */
function guessRnnCell(
  reader: H5FileReader,
  cellPath: string,
  options: LayoutOptions,
): string | undefined {
  const path = joinPath(joinPath(cellPath, 'vars'), '1');
  if (reader.kind(path) !== 'dataset') return undefined;
  const { shape } = datasetSpec(reader, path, {}, options.maxTensorBytes);
  if (shape.length !== 2 || shape[0] === 0) return undefined;
  const gates = shape[1]! / shape[0]!;
  return gates === 4
    ? 'lstm_cell'
    : gates === 3
      ? 'gru_cell'
      : gates === 1
        ? 'simple_rnn_cell'
        : undefined;
}

function rnnOfCell(cell: string | undefined): string | undefined {
  if (cell === undefined) return undefined;
  const entry = Object.entries(CELL_OF).find(([, value]) => value === cell);
  return entry?.[0] ?? cell.replace(/_cell$/, '');
}

function asConfig(value: unknown): ConfigLayer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.class_name !== 'string') return undefined;
  const config = (
    typeof record.config === 'object' && record.config !== null ? record.config : {}
  ) as Record<string, unknown>;
  return {
    className: record.class_name,
    name: typeof config.name === 'string' ? config.name : '',
    config,
  };
}
