import { MODEL_CLASSES } from './keras-names.js';

/** A layer as a saved Keras model config describes it (Keras 1, 2 or 3, tf.keras). */
export interface ConfigLayer {
  readonly className: string;
  readonly name: string;
  /** The layer's own config object (`units`, `use_bias`, `center`, ...). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The layers of a nested model (Sequential, Functional, Model). */
  readonly layers?: readonly ConfigLayer[];
  /** The wrapped layer of TimeDistributed / Bidirectional, or an RNN's cell. */
  readonly inner?: ConfigLayer;
}

/**
 * The layer tree of a model config (`model_config` of a Keras 2 `.h5`, `config.json` of a
 * `.keras` archive), or `undefined` when the JSON has no recognisable model in it. Old Keras
 * Sequential configs whose `config` is a bare list of layers are understood too.
 *
 * @example
 * parseModelConfig(JSON.parse(configJson))?.layers?.map((layer) => layer.name);
 */
export function parseModelConfig(json: unknown): ConfigLayer | undefined {
  if (!isRecord(json)) return undefined;
  // tensorflowjs_converter and some writers wrap it: { model_config: {...} }.
  if (isRecord(json.model_config)) return parseModelConfig(json.model_config);
  return parseLayer(json);
}

function parseLayer(entry: unknown): ConfigLayer | undefined {
  if (!isRecord(entry) || typeof entry.class_name !== 'string') return undefined;
  const className = entry.class_name;
  const rawConfig = entry.config;
  const config: Record<string, unknown> = isRecord(rawConfig) ? rawConfig : {};
  const name =
    typeof config.name === 'string'
      ? config.name
      : typeof entry.name === 'string'
        ? entry.name
        : '';
  const listed = Array.isArray(rawConfig) ? rawConfig : config.layers;
  if (MODEL_CLASSES.has(className) || (Array.isArray(listed) && listed.length > 0)) {
    const layers = Array.isArray(listed)
      ? listed.map(parseLayer).filter((layer): layer is ConfigLayer => layer !== undefined)
      : [];
    return { className, name, config, layers };
  }
  const wrapped = parseLayer(config.layer) ?? parseLayer(config.cell);
  return wrapped === undefined
    ? { className, name, config }
    : { className, name, config, inner: wrapped };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
