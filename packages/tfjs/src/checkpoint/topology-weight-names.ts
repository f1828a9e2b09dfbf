import { keraStyleLayerNames, type LayerNode, normaliseWeightSuffix } from './structural-names.js';
import { TfjsError } from './tfjs-error.js';

const containerClasses = new Set(['Sequential', 'Model', 'Functional']);

/**
 * Structural checkpoint names for the weights of a saved tfjs/Keras topology (the
 * `modelTopology` of a `model.json` or of `ModelArtifacts`), without the tfjs runtime.
 * Gives the same names as `checkpointWeightNames(model)` for the model the topology
 * describes. `weightNames` are the names tfjs saves (`dense_Dense1/kernel`); the result maps
 * each to its structural name (`dense/kernel`). A weight no layer of the topology owns throws
 * `TFJS_UNKNOWN_WEIGHT_LAYER`.
 *
 * @example
 * topologyWeightNames(modelJson.modelTopology, ['dense_Dense1/kernel']);
 * // Map { 'dense_Dense1/kernel' => 'dense/kernel' }
 */
export function topologyWeightNames(
  modelTopology: unknown,
  weightNames: readonly string[],
  file?: string,
): Map<string, string> {
  const layerPaths = topologyLayerPaths(modelTopology);
  const result = new Map<string, string>();
  const used = new Map<string, string>();
  for (const weightName of weightNames) {
    const segments = weightName.split('/');
    let structural: string | undefined;
    for (let index = segments.length - 2; index >= 0; index--) {
      const path = layerPaths.get(segments[index]!);
      if (path === undefined) continue;
      if (path === null) {
        throw new TfjsError({
          code: 'TFJS_AMBIGUOUS_WEIGHT_LAYER',
          message: `two layers of the topology are named "${segments[index]}"; cannot tell which owns this weight`,
          tensor: weightName,
          file,
        });
      }
      structural = `${path}/${normaliseWeightSuffix(segments.slice(index + 1))}`;
      break;
    }
    if (structural === undefined) {
      throw new TfjsError({
        code: 'TFJS_UNKNOWN_WEIGHT_LAYER',
        message: 'no layer of the model topology owns this weight',
        tensor: weightName,
        file,
      });
    }
    const previous = used.get(structural);
    if (previous !== undefined) {
      throw new TfjsError({
        code: 'TFJS_DUPLICATE_WEIGHT_NAME',
        message: `weights "${previous}" and "${weightName}" both get the checkpoint name "${structural}"`,
        tensor: weightName,
        file,
      });
    }
    used.set(structural, weightName);
    result.set(weightName, structural);
  }
  return result;
}

/**
 * Structural path of every weight-holding layer of a saved topology, keyed by the layer's tfjs
 * name (`dense_Dense1` -> `dense`, nested: `encoder/dense`); `null` marks a name used twice.
 *
 * @example
 * topologyLayerPaths(model.toJSON(null, false)); // Map { 'dense_Dense1' => 'dense', ... }
 */
export function topologyLayerPaths(modelTopology: unknown): Map<string, string | null> {
  const root = topologyRoot(modelTopology);
  const layerPaths = new Map<string, string | null>();
  if (root !== undefined) collectPaths(layerNodes(root), '', layerPaths);
  return layerPaths;
}

interface TopologyLayer {
  readonly class_name?: unknown;
  readonly name?: unknown;
  readonly config?: unknown;
}

function topologyRoot(topology: unknown): TopologyLayer | undefined {
  if (typeof topology !== 'object' || topology === null) return undefined;
  const record = topology as Record<string, unknown>;
  // tensorflowjs_converter wraps Keras models as { model_config: { class_name, config } }.
  if (typeof record.model_config === 'object' && record.model_config !== null) {
    return record.model_config as TopologyLayer;
  }
  return record as TopologyLayer;
}

interface TopologyNode extends LayerNode {
  readonly children?: readonly TopologyNode[];
}

function layerNodes(container: TopologyLayer): TopologyNode[] {
  const config = container.config;
  // Old Keras Sequential configs are a bare array of layers.
  const layers = Array.isArray(config)
    ? config
    : typeof config === 'object' && config !== null
      ? (config as Record<string, unknown>).layers
      : undefined;
  if (!Array.isArray(layers)) return [];
  return layers.map((entry: TopologyLayer) => {
    const className = typeof entry.class_name === 'string' ? entry.class_name : '';
    const layerConfig =
      typeof entry.config === 'object' && entry.config !== null
        ? (entry.config as Record<string, unknown>)
        : {};
    const name =
      typeof layerConfig.name === 'string'
        ? layerConfig.name
        : typeof entry.name === 'string'
          ? entry.name
          : '';
    const children = containerClasses.has(className) ? layerNodes(entry) : undefined;
    return { name, className, children };
  });
}

function collectPaths(
  nodes: readonly TopologyNode[],
  prefix: string,
  paths: Map<string, string | null>,
): void {
  const names = keraStyleLayerNames(nodes);
  nodes.forEach((node, index) => {
    const path = `${prefix}${names[index]!}`;
    if (node.children !== undefined) {
      collectPaths(node.children, `${path}/`, paths);
      return;
    }
    paths.set(node.name, paths.has(node.name) ? null : path);
  });
}
