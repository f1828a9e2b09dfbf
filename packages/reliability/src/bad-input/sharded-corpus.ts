import { type CorpusCase, utf8 } from './corpus-case.js';
import { safetensorsBytes } from './safetensors-corpus.js';

const shard = (tensors: string[]) => {
  const entries = tensors.map(
    (name, index) =>
      `"${name}":{"dtype":"F32","shape":[2],"data_offsets":[${index * 8},${index * 8 + 8}]}`,
  );
  return safetensorsBytes(`{${entries.join(',')}}`, new Uint8Array(tensors.length * 8).fill(3));
};

const index = (weightMap: Record<string, string> | string) =>
  utf8(
    typeof weightMap === 'string'
      ? weightMap
      : JSON.stringify({ metadata: { total_size: 16 }, weight_map: weightMap }),
  );

/**
 * The malformed sharded checkpoints of the corpus: each case is
 * `<case>.safetensors.index.json` plus the shards it names (`<case>-0000i-of-0000n.safetensors`).
 *
 * @example
 * shardedCorpus().map((c) => c.code); // ['SAFETENSORS_INDEX_INVALID', ...]
 */
export function shardedCorpus(): CorpusCase[] {
  const make = (
    name: string,
    code: string,
    why: string,
    indexBytes: Uint8Array,
    shards: Record<string, Uint8Array> = {},
  ): CorpusCase => ({
    name,
    code,
    why,
    files: new Map([
      [`${name}.safetensors.index.json`, indexBytes],
      ...Object.entries(shards).map(([file, bytes]) => [`${name}-${file}`, bytes] as const),
    ]),
  });
  const s1 = (name: string) => `${name}-00001-of-00002.safetensors`;
  const s2 = (name: string) => `${name}-00002-of-00002.safetensors`;
  return [
    make(
      'index-not-json',
      'SAFETENSORS_INDEX_INVALID',
      'the index is cut mid-object',
      index('{"weight_map": {"a": '),
    ),
    make(
      'index-not-utf8',
      'SAFETENSORS_INDEX_INVALID',
      'a 0xfe byte in the index',
      Uint8Array.of(0x7b, 0xfe, 0x7d),
    ),
    make(
      'index-no-weight-map',
      'SAFETENSORS_INDEX_INVALID',
      'no weight_map',
      index('{"metadata":{}}'),
    ),
    make(
      'index-shard-not-string',
      'SAFETENSORS_INDEX_INVALID',
      'a weight_map value is a number',
      index('{"weight_map":{"a":1}}'),
    ),
    make(
      'index-path-escapes',
      'SAFETENSORS_INDEX_INVALID',
      'a shard path climbs out of the folder',
      index({ a: '../outside.safetensors' }),
    ),
    make(
      'index-absolute-path',
      'SAFETENSORS_INDEX_INVALID',
      'an absolute shard path',
      index({ a: '/etc/passwd' }),
    ),
    make(
      'shard-missing',
      'STORE_FILE_NOT_FOUND',
      'the second shard is not there',
      index({ a: s1('shard-missing'), b: s2('shard-missing') }),
      {
        '00001-of-00002.safetensors': shard(['a']),
      },
    ),
    make(
      'tensor-not-in-shard',
      'SAFETENSORS_INDEX_MISMATCH',
      'the index puts b in a shard that holds only a',
      index({ a: s1('tensor-not-in-shard'), b: s1('tensor-not-in-shard') }),
      {
        '00001-of-00002.safetensors': shard(['a']),
      },
    ),
    make(
      'tensor-not-in-index',
      'SAFETENSORS_INDEX_MISMATCH',
      'a shard holds a tensor the index does not map',
      index({ a: s1('tensor-not-in-index') }),
      {
        '00001-of-00002.safetensors': shard(['a', 'extra']),
      },
    ),
    make(
      'shard-truncated',
      'SAFETENSORS_DATA_TRUNCATED',
      'the second shard ends 4 bytes early',
      index({ a: s1('shard-truncated'), b: s2('shard-truncated') }),
      {
        '00001-of-00002.safetensors': shard(['a']),
        '00002-of-00002.safetensors': shard(['b']).subarray(0, shard(['b']).length - 4),
      },
    ),
  ];
}
