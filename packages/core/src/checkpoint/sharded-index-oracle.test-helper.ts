/*
 * How `readShardedSafetensors` validated an index before the streaming parser (commit
 * ec613c2): the first half of that function, kept verbatim (decode the whole file, parse it
 * with the syntax-tree parser, then check the weight map) as the oracle of the property tests.
 * Test-only (excluded from the build and the package).
 */
import { HeaderJsonError, type HeaderValue, parseHeaderJson } from './header-json.js';
import { SafetensorsError } from './safetensors-error.js';
import type { IndexMetadataValue, ShardedIndex } from './sharded-index.js';

export function parseShardedIndexOracle(raw: Uint8Array, indexPath: string): ShardedIndex {
  const invalid = (message: string, byteOffset?: number, tensor?: string): SafetensorsError =>
    new SafetensorsError({
      code: 'SAFETENSORS_INDEX_INVALID',
      message,
      file: indexPath,
      ...(byteOffset === undefined ? {} : { byteOffset }),
      ...(tensor === undefined ? {} : { tensor }),
    });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw invalid('the index is not valid UTF-8');
  }
  const offsetOf = (at: number) => new TextEncoder().encode(text.slice(0, at)).length;
  let root: HeaderValue;
  try {
    root = parseHeaderJson(text);
  } catch (cause) {
    if (cause instanceof HeaderJsonError)
      throw invalid(`the index is not valid JSON: ${cause.message}`, offsetOf(cause.at));
    throw cause;
  }
  if (root.kind !== 'object') throw invalid('the index must be a JSON object', offsetOf(root.at));
  const weightMap = root.entries.get('weight_map')?.value;
  if (weightMap?.kind !== 'object') {
    throw invalid('the index has no "weight_map" object', offsetOf(weightMap?.at ?? root.at));
  }

  const byShard = new Map<string, string[]>();
  const order: string[] = [];
  for (const [name, entry] of weightMap.entries) {
    const value = entry.value;
    if (value.kind !== 'string') {
      throw invalid(
        `weight_map[${JSON.stringify(name)}] must be a shard file name`,
        offsetOf(value.at),
        name,
      );
    }
    const shard = value.value;
    if (
      shard === '' ||
      shard === '.' ||
      shard === '..' ||
      /[/\\]/.test(shard) ||
      posixBasename(shard) !== shard
    ) {
      throw invalid(
        `shard ${JSON.stringify(shard)} is not a plain file name in the index's folder`,
        offsetOf(value.at),
        name,
      );
    }
    order.push(name);
    const list = byShard.get(shard);
    if (list === undefined) byShard.set(shard, [name]);
    else list.push(name);
  }
  // What the old reader went on to use, in the streaming parser's shape.
  const result = new Map<string, string>();
  for (const [name, entry] of weightMap.entries) {
    result.set(name, (entry.value as { value: string }).value);
  }
  const metadata = root.entries.get('metadata')?.value;
  return {
    weightMap: result,
    shards: [...byShard.keys()],
    metadata:
      metadata?.kind === 'object'
        ? (toMetadataValue(metadata) as Map<string, IndexMetadataValue>)
        : new Map(),
  };
}

function toMetadataValue(value: HeaderValue): IndexMetadataValue {
  switch (value.kind) {
    case 'object':
      return new Map([...value.entries].map(([key, entry]) => [key, toMetadataValue(entry.value)]));
    case 'array':
      return value.items.map(toMetadataValue);
    case 'integer':
      return value.value >= -BigInt(Number.MAX_SAFE_INTEGER) &&
        value.value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value.value)
        : value.value;
    case 'null':
      return null;
    default:
      return value.value;
  }
}

/** Node's `path.posix.basename` for the names an index holds, without importing Node. */
function posixBasename(name: string): string {
  const trimmed = name.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
