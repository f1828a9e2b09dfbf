/*
 * The streaming index parser against the validation `readShardedSafetensors` did before it
 * (kept as an oracle in `sharded-index-oracle.test-helper.ts`) and against JSON.parse: on
 * random valid indexes, on the same indexes broken token by token and byte by byte, and fed
 * in chunks cut at every position (inside multi-byte characters and escapes too).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeShardedIndexText } from './huge-json-fixtures.test-helper.js';
import {
  applyJsonEdits,
  awkwardString,
  jsonEdit,
  jsonLiteral,
  jsonSpace,
} from './json-text-arbitraries.test-helper.js';
import { SafetensorsError } from './safetensors-error.js';
import {
  parseShardedIndex,
  parseShardedIndexInPieces,
  type ShardedIndex,
  type ShardedIndexInput,
} from './sharded-index.js';
import { parseShardedIndexOracle } from './sharded-index-oracle.test-helper.js';
import { firstInvalidUtf8 } from './utf8-piece-reader.js';

const SEED = 20_261_130;
const FILE = 'model.safetensors.index.json';
const encoder = new TextEncoder();

/** A JSON value to write with random spelling; `big` is an integer written as digits. */
type Value =
  | { big: string }
  | string
  | number
  | boolean
  | null
  | Value[]
  | { entries: Array<[string, Value]> };

const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    awkwardString,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(
      { big: '9007199254740991' },
      { big: '9007199254740993' },
      { big: '-18446744073709551616' },
      { big: '-0' },
      { big: '1e400' },
      { big: '0.5e-3' },
    ),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .uniqueArray(fc.tuple(awkwardString, tie('value')), {
        selector: ([key]) => key,
        maxLength: 3,
      })
      .map((entries) => ({ entries })),
  ),
})).value;

interface IndexModel {
  weightMap: Array<[string, string]>;
  metadata: Value | undefined;
  others: Array<[string, Value]>;
  order: number;
  spaces: string[];
  escapes: number[];
}

const shardName = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((k) => `model-0000${k}-of-00003.safetensors`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'é.safetensors',
      '😀',
      'a b',
      '.hidden',
      '..x',
      'x..',
      'C:x',
      '',
      '.',
      '..',
      'a/b',
      'a\\b',
    ),
  },
);

const indexModel: fc.Arbitrary<IndexModel> = fc.record({
  weightMap: fc.uniqueArray(fc.tuple(awkwardString, shardName), {
    selector: ([name]) => name,
    maxLength: 10,
  }),
  metadata: fc.option(value, { nil: undefined }),
  others: fc.uniqueArray(
    fc.tuple(
      awkwardString.filter((key) => key !== 'weight_map' && key !== 'metadata'),
      value,
    ),
    { selector: ([key]) => key, maxLength: 2 },
  ),
  order: fc.nat(),
  spaces: fc.array(jsonSpace, { minLength: 1, maxLength: 12 }),
  escapes: fc.array(fc.nat(2), { maxLength: 6 }),
});

function writeIndex(model: IndexModel): string {
  let space = 0;
  const ws = () => model.spaces[space++ % model.spaces.length]!;
  let literals = 0;
  const literal = (text: string) => jsonLiteral(text, model.escapes.slice(literals++ % 3));
  const write = (item: Value): string => {
    if (item === null || typeof item === 'boolean' || typeof item === 'number') {
      return JSON.stringify(item);
    }
    if (typeof item === 'string') return literal(item);
    if (Array.isArray(item))
      return `[${item.map((element) => ws() + write(element) + ws()).join(',')}]`;
    if ('big' in item) return item.big;
    return `{${item.entries.map(([key, element]) => `${ws()}${literal(key)}${ws()}:${ws()}${write(element)}${ws()}`).join(',')}}`;
  };
  const members: string[] = model.others.map(
    ([key, item]) => `${literal(key)}${ws()}:${ws()}${write(item)}`,
  );
  const weightMap = `{${model.weightMap.map(([name, shard]) => `${ws()}${literal(name)}${ws()}:${ws()}${literal(shard)}${ws()}`).join(',')}}`;
  members.splice(model.order % (members.length + 1), 0, `"weight_map"${ws()}:${ws()}${weightMap}`);
  if (model.metadata !== undefined) {
    members.splice(
      model.order % (members.length + 1),
      0,
      `"metadata"${ws()}:${ws()}${write(model.metadata)}`,
    );
  }
  return `${ws()}{${members.map((member) => ws() + member + ws()).join(',')}}${ws()}`;
}

type Outcome =
  | { ok: { weightMap: unknown[]; shards: string[]; metadata: unknown } }
  | { error: { code: string; tensor?: string; byteOffset?: number; message: string } };

/** Maps as entry arrays, so that order counts. */
function plain(item: unknown): unknown {
  if (item instanceof Map) return { map: [...item].map(([key, element]) => [key, plain(element)]) };
  if (Array.isArray(item)) return item.map(plain);
  return item;
}

async function outcome(parse: () => ShardedIndex | Promise<ShardedIndex>): Promise<Outcome> {
  try {
    const index = await parse();
    return {
      ok: {
        weightMap: [...index.weightMap],
        shards: index.shards,
        metadata: plain(index.metadata),
      },
    };
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    return {
      error: {
        code: error.code,
        tensor: error.tensor,
        byteOffset: error.byteOffset,
        message: error.message,
      },
    };
  }
}

/** What the old reader gave, with the byte offsets it would have given had it counted the BOM. */
async function oracle(bytes: Uint8Array): Promise<Outcome> {
  const expected = await outcome(() => parseShardedIndexOracle(bytes, FILE));
  if ('error' in expected) {
    const error = expected.error;
    if (error.message.includes('not valid UTF-8')) {
      // The old reader gave no offset; the streaming parser names the first bad byte.
      error.byteOffset = firstInvalidUtf8(bytes);
      error.message = error.message.replace(`(${FILE})`, `(${FILE}, byte ${error.byteOffset})`);
    } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      error.byteOffset! += 3;
      error.message = error.message.replace(/byte (\d+)\)$/, `byte ${error.byteOffset})`);
    }
  }
  return expected;
}

function chunked(bytes: Uint8Array, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  return {
    async *[Symbol.asyncIterator]() {
      let start = 0;
      for (const point of points) {
        yield bytes.subarray(start, point);
        start = point;
      }
      yield bytes.subarray(start);
    },
  };
}

const parse = (input: ShardedIndexInput, pieceBytes?: number) =>
  outcome(() =>
    pieceBytes === undefined
      ? parseShardedIndex(input, { file: FILE })
      : parseShardedIndexInPieces(input, { file: FILE }, pieceBytes),
  );

describe('parseShardedIndex against the old reader and JSON.parse', () => {
  it('agrees with both on random valid indexes', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(indexModel, async (model) => {
        const text = writeIndex(model);
        const bytes = encoder.encode(text);
        const expected = await oracle(bytes);
        expect(await parse(bytes)).toEqual(expected);
        expect(await parse(text)).toEqual(expected);
        if (!('ok' in expected)) return;
        accepted++;
        const json = JSON.parse(text) as { weight_map: Record<string, string> };
        expect(new Map(expected.ok.weightMap as Array<[string, string]>)).toEqual(
          new Map(Object.entries(json.weight_map)),
        );
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it('refuses what the old reader refuses, with the same code, tensor, byte offset and message', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        indexModel,
        fc.array(jsonEdit, { minLength: 1, maxLength: 3 }),
        async (model, edits) => {
          const bytes = applyJsonEdits(writeIndex(model), edits);
          const expected = await oracle(bytes);
          expect(await parse(bytes)).toEqual(expected);
          if ('error' in expected) refused++;
        },
      ),
      { seed: SEED + 1, numRuns: 1500 },
    );
    expect(refused).toBeGreaterThan(600);
  });

  it('gives the same answer for chunks and pieces cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        indexModel,
        fc.array(jsonEdit, { maxLength: 2 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom(4, 5, 7, 16, 64),
        async (model, edits, cuts, pieceBytes) => {
          const bytes = applyJsonEdits(writeIndex(model), edits);
          const expected = await parse(bytes);
          expect(await parse(chunked(bytes, cuts), pieceBytes)).toEqual(expected);
          expect(await parse(chunked(bytes, cuts))).toEqual(expected);
        },
      ),
      { seed: SEED + 2, numRuns: 800 },
    );
  });
});

describe('parseShardedIndex: chunk boundaries at every position', () => {
  const texts: Array<[string, string]> = [
    [
      'valid, with multi-byte characters and escapes',
      '\ufeff{"metadata": {"total_size": 123456789012345678901, "note": "caf\u00e9 \\u00e9 \\ud83d\\ude00 \u{1f600}", "list": [1.5e3, -0, true, null, {}]},\n "weight_map": {"\u00e9l\u00e8ve": "model-00001-of-00002.safetensors", "a\\u00e9\\n": "\u{1f600}.safetensors", "b": "model-00001-of-00002.safetensors"}}\n',
    ],
    ['a lone surrogate escape', '{"weight_map": {"\u00e9": "s", "\\ud83d\\u00e9": "s"}}'],
    ['a bad shard after a multi-byte name', '{"weight_map": {"\u{1f600}": "a/b"}}'],
    ['a duplicate escaped the other way', '{"weight_map": {"\u00e9": "s", "\\u00e9": "s"}}'],
    ['a cut number', '{"metadata": {"n": 12345678'],
    ['an invalid escape', '{"weight_map": {"a\\x": "s"}}'],
    ['a literal cut short', '{"metadata": {"x": tru}, "weight_map": {}}'],
  ];

  it.each(texts)('%s', async (_, text) => {
    const bytes = encoder.encode(text);
    const expected = await oracle(bytes);
    expect(await parse(bytes)).toEqual(expected);
    expect(await parse(text)).toEqual(expected);
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const pieceBytes of [4, 5, 6, 7, 9, 13]) {
        expect({ cut, pieceBytes, ...(await parse(chunked(bytes, [cut]), pieceBytes)) }).toEqual({
          cut,
          pieceBytes,
          ...expected,
        });
      }
    }
    // One byte at a time.
    const bytewise = bytes.map((_, index) => index);
    expect(await parse(chunked(bytes, [...bytewise]), 4)).toEqual(expected);
  });

  it('reads a string of 200,000 characters fed in small chunks', async () => {
    const long = '\u00e9x'.repeat(100_000);
    const name = 'n'.repeat(70_000);
    const text = `{"metadata": {"config": ${JSON.stringify(long)}}, "weight_map": {"${name}": "s"}}`;
    const bytes = encoder.encode(text);
    const cuts = Array.from({ length: Math.ceil(bytes.length / 997) }, (_, index) => index * 997);
    for (const pieceBytes of [4, 65_536]) {
      const index = await parseShardedIndexInPieces(
        chunked(bytes, cuts),
        { file: FILE },
        pieceBytes,
      );
      expect(index.metadata.get('config')).toBe(long);
      expect([...index.weightMap]).toEqual([[name, 's']]);
    }
  });
});

describe('parseShardedIndex: what it returns and refuses', () => {
  it('returns the weight map in file order, distinct shards and typed metadata', async () => {
    const text =
      '{"metadata": {"total_size": 18446744073709551616, "safe": 9007199254740991, "zero": -0, "half": 0.5, "nested": {"__proto__": [null, false]}},' +
      ' "weight_map": {"b": "s2", "__proto__": "s1", "a": "s2", "1": "s1"}, "other": [1, {"x": 2}]}';
    const index = await parseShardedIndex(encoder.encode(text), { file: FILE });
    expect([...index.weightMap]).toEqual([
      ['b', 's2'],
      ['__proto__', 's1'],
      ['a', 's2'],
      ['1', 's1'],
    ]);
    expect(index.shards).toEqual(['s2', 's1']);
    expect(index.metadata.get('total_size')).toBe(18446744073709551616n);
    expect(index.metadata.get('safe')).toBe(9007199254740991);
    expect(Object.is(index.metadata.get('zero'), 0)).toBe(true);
    expect(index.metadata.get('half')).toBe(0.5);
    expect(index.metadata.get('nested')).toEqual(new Map([['__proto__', [null, false]]]));
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('reads a ReadableStream, a fetch body', async () => {
    const bytes = encoder.encode('{"weight_map": {"w": "model-00001-of-00001.safetensors"}}');
    const body = new Response(bytes).body!;
    const index = await parseShardedIndex(body, { file: FILE });
    expect([...index.weightMap]).toEqual([['w', 'model-00001-of-00001.safetensors']]);
  });

  it.each([
    ['{"weight_map": ', 15, undefined, 'not valid JSON: unexpected end'],
    ['{"metadata": {}}', 0, undefined, 'has no "weight_map" object'],
    ['  {"weight_map": 3}', 17, undefined, 'has no "weight_map" object'],
    ['[]', 0, undefined, 'must be a JSON object'],
    [
      '{"weight_map": {"dense/bias": "../model-00001-of-00001.safetensors"}}',
      30,
      'dense/bias',
      'not a plain file name',
    ],
    ['{"weight_map": {"w": "a\\\\b"}}', 21, 'w', 'not a plain file name'],
    ['{"weight_map": {"w": "\\u002e"}}', 21, 'w', 'not a plain file name'],
    ['{"weight_map": {"w": ""}}', 21, 'w', 'not a plain file name'],
    ['{"weight_map": {"w": ["s"]}}', 21, 'w', 'must be a shard file name'],
    ['{"weight_map": {"w": "s", "w": "s"}}', 26, undefined, 'duplicate key "w"'],
    ['{"weight_map": {}, "weight_map": {}}', 19, undefined, 'duplicate key "weight_map"'],
    ['{"metadata": {"a": {"b": 1, "b": 2}}, "weight_map": {}}', 28, undefined, 'duplicate key "b"'],
    // A bad entry early and malformed JSON later: the malformed JSON is reported, as before.
    ['{"weight_map": {"w": 1, "v": "s"} x', 34, undefined, "expected ',' or '}'"],
    [
      `{"metadata": ${'['.repeat(200)}${']'.repeat(200)}, "weight_map": {}}`,
      13 + 127,
      undefined,
      'nesting too deep',
    ],
  ])('%s: INDEX_INVALID at byte %i', async (text, byteOffset, tensor, message) => {
    const bytes = encoder.encode(text);
    const result = await parse(bytes);
    expect(result).toEqual(await oracle(bytes));
    expect(result).toMatchObject({
      error: { code: 'SAFETENSORS_INDEX_INVALID', byteOffset, tensor },
    });
    expect((result as { error: { message: string } }).error.message).toContain(message);
  });

  it('reports invalid UTF-8 anywhere before malformed JSON earlier in the file, with its offset', async () => {
    const bytes = encoder.encode(`{"weight_map": {"w" 1}, "pad": "${'x'.repeat(200_000)}?"}`);
    bytes[bytes.length - 3] = 0xff;
    for (const input of [bytes, chunked(bytes, [10, 70_000, 140_000])]) {
      expect(await parse(input)).toMatchObject({
        error: {
          message: expect.stringContaining('not valid UTF-8'),
          byteOffset: bytes.length - 3,
        },
      });
    }
  });

  it('refuses input it cannot read with SAFETENSORS_INVALID_OPTION', async () => {
    const strings = (async function* () {
      yield '{}';
    })();
    for (const input of [strings, 42, null, { length: 2 }]) {
      expect(await parse(input as unknown as ShardedIndexInput)).toMatchObject({
        error: { code: 'SAFETENSORS_INVALID_OPTION' },
      });
    }
  });

  it('refuses a string with a lone surrogate, which has no UTF-8 form', async () => {
    expect(await parse('{"weight_map": {"\ud800": "s"}}')).toMatchObject({
      error: { code: 'SAFETENSORS_INDEX_INVALID', byteOffset: 17 },
    });
  });

  it('skips a byte order mark, split across chunks too, and counts it in offsets', async () => {
    const bytes = encoder.encode('\ufeff{"weight_map": {"w": "s"}}');
    for (const cut of [1, 2, 3]) {
      const index = await parseShardedIndexInPieces(chunked(bytes, [cut]), { file: FILE }, 4);
      expect([...index.weightMap]).toEqual([['w', 's']]);
    }
    expect(await parse(encoder.encode('\ufeff[]'))).toMatchObject({ error: { byteOffset: 3 } });
  });

  it('parses a realistic 20,000-entry index like JSON.parse', async () => {
    const text = makeShardedIndexText({ entries: 20_000, shards: 7 });
    const bytes = encoder.encode(text);
    const json = JSON.parse(text) as { weight_map: Record<string, string> };
    const cuts = Array.from({ length: 40 }, (_, index) => index * 30_011);
    const index = await parseShardedIndex(chunked(bytes, cuts), { file: FILE });
    expect(index.weightMap).toEqual(new Map(Object.entries(json.weight_map)));
    expect([...index.weightMap.keys()]).toEqual([...Object.keys(json.weight_map)]);
    expect(index.shards).toEqual([...new Set(Object.values(json.weight_map))]);
    expect(index.metadata).toEqual(new Map([['total_size', 20_000 * 29_360_128]]));
  });
});
