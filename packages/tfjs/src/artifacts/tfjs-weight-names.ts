import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { TfjsError } from '../checkpoint/tfjs-error.js';
import { topologyLayerPaths } from '../checkpoint/topology-weight-names.js';
import { OPTIMIZER_PREFIX, TFJS_METADATA_KEYS } from './tfjs-metadata-keys.js';

/**
 * The name tfjs gives each checkpoint tensor (what its loaders match weights by): the stored
 * `tfjs.weightNames` metadata, else the structural name mapped back through the topology's
 * layer names (`dense_1/kernel` -> `dense_Dense2/kernel`; the longest matching layer path wins),
 * else the name without its `optimizer/` prefix.
 *
 * @example
 * tfjsWeightNames(['dense/kernel'], checkpoint.metadata, topology); // Map { 'dense/kernel' => 'dense_Dense1/kernel' }
 */
export function tfjsWeightNames(
  tensorNames: Iterable<string>,
  metadata: ReadonlyMap<string, string>,
  modelTopology: unknown,
): Map<string, string> {
  const stored = metadata.get(TFJS_METADATA_KEYS.weightNames);
  if (stored !== undefined) return storedNames(stored);
  const byPath = new Map<string, string>();
  if (modelTopology !== undefined) {
    for (const [layer, path] of topologyLayerPaths(modelTopology)) {
      if (path !== null) byPath.set(path, layer);
    }
  }
  const paths = [...byPath.keys()].sort((a, b) => b.length - a.length);
  const names = new Map<string, string>();
  for (const name of tensorNames) {
    const bare = name.startsWith(OPTIMIZER_PREFIX) ? name.slice(OPTIMIZER_PREFIX.length) : name;
    const path = paths.find((candidate) => bare.startsWith(`${candidate}/`));
    names.set(name, path === undefined ? bare : `${byPath.get(path)!}${bare.slice(path.length)}`);
  }
  return names;
}

function storedNames(text: string): Map<string, string> {
  const parsed = parseMetadataJson(text, TFJS_METADATA_KEYS.weightNames);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((value) => typeof value === 'string')
  ) {
    throw new TfjsError({
      code: 'TFJS_BAD_METADATA',
      message: `metadata "${TFJS_METADATA_KEYS.weightNames}" must be a JSON object from checkpoint names to tfjs weight names`,
    });
  }
  return new Map(Object.entries(parsed as Record<string, string>));
}
