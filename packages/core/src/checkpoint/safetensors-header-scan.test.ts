/*
 * The fast header scan against the parser it replaced (kept as an oracle in
 * `safetensors-header-oracle.test-helper.ts`): on random valid headers, on the same headers
 * broken token by token and byte by byte, and cut into pieces at every position. The two
 * must agree on the result, or on the error code, tensor, byte offset and message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DTYPES, type Dtype, dtypeSize } from './dtype.js';
import {
  makeSafetensorsHeaderText,
  safetensorsHeaderBytes,
} from './huge-json-fixtures.test-helper.js';
import {
  applyJsonEdits,
  awkwardString,
  jsonEdit,
  jsonLiteral,
  jsonSpace,
} from './json-text-arbitraries.test-helper.js';
import { SafetensorsError } from './safetensors-error.js';
import { parseSafetensorsHeader, type SafetensorsHeader } from './safetensors-header.js';
import { parseSafetensorsHeaderOracle } from './safetensors-header-oracle.test-helper.js';
import { scanSafetensorsHeader } from './safetensors-header-scan.js';

const SEED = 20_261_129;

interface TensorModel {
  name: string;
  dtype: Dtype;
  shape: number[];
}

interface HeaderModel {
  tensors: TensorModel[];
  metadata: Array<[string, string]> | null;
  metadataAt: number;
  dataOrder: number[];
  keyOrder: number;
  spaces: string[];
  escapes: number[];
  extraField: boolean;
}

const tensorModel: fc.Arbitrary<TensorModel> = fc.record({
  name: awkwardString.filter((name) => name !== '__metadata__'),
  dtype: fc.constantFrom(...DTYPES),
  shape: fc.oneof(
    { weight: 5, arbitrary: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 4 }) },
    // Large dimensions: offsets of 13 to 15 digits, still exact as doubles.
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(1, 1 << 20, 7168, 100_000), { maxLength: 2 }),
    },
  ),
});

const headerModel: fc.Arbitrary<HeaderModel> = fc.record({
  tensors: fc.uniqueArray(tensorModel, { selector: (tensor) => tensor.name, maxLength: 8 }),
  metadata: fc.option(
    fc.uniqueArray(fc.tuple(awkwardString, awkwardString), {
      selector: ([key]) => key,
      maxLength: 4,
    }),
  ),
  metadataAt: fc.nat(),
  dataOrder: fc.array(fc.nat(), { maxLength: 8 }),
  keyOrder: fc.nat(5),
  spaces: fc.array(jsonSpace, { minLength: 1, maxLength: 16 }),
  escapes: fc.array(fc.nat(2), { maxLength: 6 }),
  extraField: fc.boolean(),
});

const KEY_ORDERS = [
  ['dtype', 'shape', 'data_offsets'],
  ['dtype', 'data_offsets', 'shape'],
  ['shape', 'dtype', 'data_offsets'],
  ['shape', 'data_offsets', 'dtype'],
  ['data_offsets', 'dtype', 'shape'],
  ['data_offsets', 'shape', 'dtype'],
] as const;

/** The header text of a model, and the file size its offsets need. */
function writeHeader(model: HeaderModel): { text: string; fileSizeAfterHeader: number } {
  let space = 0;
  const ws = () => model.spaces[space++ % model.spaces.length]!;
  let literals = 0;
  const literal = (value: string) => jsonLiteral(value, model.escapes.slice(literals++ % 3));
  // Data order: a shuffle of the header order, so the layout check has to sort.
  const order = model.tensors.map((_, index) => index);
  model.dataOrder.forEach((pick, index) => {
    if (order.length === 0) return;
    const a = index % order.length;
    const b = pick % order.length;
    [order[a], order[b]] = [order[b]!, order[a]!];
  });
  const offsets = new Map<number, [number, number]>();
  let offset = 0;
  for (const index of order) {
    const tensor = model.tensors[index]!;
    const bytes = tensor.shape.reduce((a, b) => a * b, 1) * dtypeSize(tensor.dtype);
    offsets.set(index, [offset, offset + bytes]);
    offset += bytes;
  }
  const members = model.tensors.map((tensor, index) => {
    const [begin, end] = offsets.get(index)!;
    const fields: Record<string, string> = {
      dtype: jsonLiteral(tensor.dtype), // escaped dtypes: see the table below
      shape: `[${ws()}${tensor.shape.join(`${ws()},${ws()}`)}${ws()}]`,
      data_offsets: `[${ws()}${begin}${ws()},${ws()}${end}${ws()}]`,
    };
    const keys: string[] = [...KEY_ORDERS[model.keyOrder]!];
    if (model.extraField && index === 0) keys.splice(1, 0, 'extra');
    const body = keys
      .map((key) =>
        key === 'extra'
          ? `${ws()}"extra"${ws()}:${ws()}{"nested":[1,2.5,"x",null]}`
          : `${ws()}${jsonLiteral(key)}${ws()}:${ws()}${fields[key]}`,
      )
      .join(`${ws()},`);
    return `${ws()}${literal(tensor.name)}${ws()}:${ws()}{${body}${ws()}}`;
  });
  if (model.metadata !== null) {
    const body = model.metadata
      .map(([key, value]) => `${ws()}${literal(key)}${ws()}:${ws()}${literal(value)}`)
      .join(',');
    const at = model.metadataAt % (members.length + 1);
    members.splice(at, 0, `${ws()}"__metadata__"${ws()}:${ws()}{${body}${ws()}}`);
  }
  return { text: `${ws()}{${members.join(',')}${ws()}}${ws()}`, fileSizeAfterHeader: offset };
}

type Outcome =
  | {
      ok: {
        headerLength: number;
        dataStart: number;
        dataLength: number;
        tensors: unknown[];
        metadata: unknown[];
      };
    }
  | { error: { code: string; tensor?: string; byteOffset?: number; message: string } };

function outcome(parse: () => SafetensorsHeader): Outcome {
  try {
    const header = parse();
    return {
      ok: {
        headerLength: header.headerLength,
        dataStart: header.dataStart,
        dataLength: header.dataLength,
        tensors: [...header.tensors],
        metadata: [...header.metadata],
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

/** The prefix and header of `headerBytes`; the data is only claimed through `fileSize`. */
function fileStart(headerBytes: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(8 + headerBytes.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  return bytes;
}

function expectSameAsOracle(headerBytes: Uint8Array, dataLength: number): Outcome {
  const bytes = fileStart(headerBytes);
  const options = { file: 'model.safetensors', fileSize: bytes.length + dataLength };
  const expected = outcome(() => parseSafetensorsHeaderOracle(bytes, options));
  expect(outcome(() => parseSafetensorsHeader(bytes, options))).toEqual(expected);
  return expected;
}

const encoder = new TextEncoder();

describe('parseSafetensorsHeader: fast scan against the precise parser', () => {
  it('agrees with the old parser and with JSON.parse on random valid headers', () => {
    let accepted = 0;
    fc.assert(
      fc.property(headerModel, (model) => {
        const { text, fileSizeAfterHeader } = writeHeader(model);
        const result = expectSameAsOracle(encoder.encode(text), fileSizeAfterHeader);
        if (!('ok' in result)) return;
        accepted++;
        // On valid JSON without duplicates, JSON.parse sees the same entries.
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const { __metadata__: metadata = {}, ...tensors } = parsed;
        expect(new Map(result.ok.metadata as Array<[string, string]>)).toEqual(
          new Map(Object.entries(metadata as object)),
        );
        const fromJson = new Map(
          Object.entries(tensors as Record<string, Record<string, unknown>>).map(
            ([name, { dtype, shape, data_offsets }]) => [name, { dtype, shape, data_offsets }],
          ),
        );
        const ours = new Map(
          (
            result.ok.tensors as Array<
              [string, { dtype: string; shape: number[]; begin: number; end: number }]
            >
          ).map(([name, info]) => [
            name,
            { dtype: info.dtype, shape: info.shape, data_offsets: [info.begin, info.end] },
          ]),
        );
        expect(ours).toEqual(fromJson);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(200);
  });

  it('takes every plain header on the fast path (no extra fields, no lone surrogates)', () => {
    fc.assert(
      fc.property(headerModel, (model) => {
        const plain = { ...model, extraField: false };
        const { text } = writeHeader(plain);
        if (/\\ud[89a-f]/i.test(text)) return; // surrogate escapes, maybe lone
        expect(scanSafetensorsHeader(encoder.encode(text))).toBeDefined();
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });

  it('refuses what the old parser refuses, with the same code, tensor, byte offset and message', () => {
    let refused = 0;
    fc.assert(
      fc.property(
        headerModel,
        fc.array(jsonEdit, { minLength: 1, maxLength: 3 }),
        (model, edits) => {
          const { text, fileSizeAfterHeader } = writeHeader(model);
          const result = expectSameAsOracle(applyJsonEdits(text, edits), fileSizeAfterHeader);
          if ('error' in result) refused++;
        },
      ),
      { seed: SEED + 2, numRuns: 1500 },
    );
    expect(refused).toBeGreaterThan(600);
  });

  it.each([
    ['a 15-digit offset (fast path)', '{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}', 0],
    ['-0 as a dimension', '{"w":{"dtype":"U8","shape":[-0],"data_offsets":[0,0]}}', 0],
    ['2.0 as a dimension', '{"w":{"dtype":"U8","shape":[2.0],"data_offsets":[0,2]}}', 2],
    ['1e1 as an offset', '{"w":{"dtype":"U8","shape":[10],"data_offsets":[0,1e1]}}', 10],
    [
      'a 16-digit offset',
      '{"w":{"dtype":"U8","shape":[1],"data_offsets":[1000000000000000,1000000000000001]}}',
      1,
    ],
    [
      'offsets past 2^53 one apart, as doubles two apart',
      '{"w":{"dtype":"U8","shape":[2],"data_offsets":[9007199254740993,9007199254740994]}}',
      1,
    ],
    ['a leading zero', '{"w":{"dtype":"U8","shape":[01],"data_offsets":[0,1]}}', 1],
    [
      'an escaped key inside an entry',
      '{"w":{"d\\u0074ype":"U8","shape":[1],"data_offsets":[0,1]}}',
      1,
    ],
    ['an escaped dtype', '{"w":{"dtype":"U\\u0038","shape":[1],"data_offsets":[0,1]}}', 1],
    ['no shape', '{"w":{"dtype":"U8","data_offsets":[0,1]}}', 1],
    ['no dtype', '{"w":{"shape":[1],"data_offsets":[0,4]}}', 4],
    ['no data_offsets', '{"w":{"dtype":"U8","shape":[0]}}', 0],
    [
      'a duplicate name',
      '{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}',
      2,
    ],
    ['an unknown field', '{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":[{}]}}', 1],
    ['a duplicate field', '{"w":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1],
    ['__metadata__ twice', '{"__metadata__":{},"__metadata__":{}}', 0],
    ['a duplicate metadata key', '{"__metadata__":{"a":"1","a":"2"}}', 0],
    [
      'a name with escapes',
      '{"\\u00e9\\ud83d\\ude00\\n":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}',
      1,
    ],
    ['a lone surrogate escape', '{"\\ud83d":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}', 1],
    ['a byte order mark', '\ufeff{}', 0],
    ['whitespace only', '   ', 0],
    ['a trailing comma', '{"__metadata__":{},}', 0],
    ['text after the object', '{} {}', 0],
    [
      'unsorted offsets',
      '{"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}',
      2,
    ],
    [
      'an empty tensor between two at the same offset',
      '{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"c":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}',
      1,
    ],
  ])('%s: same as the old parser', (_, text, dataLength) => {
    expectSameAsOracle(encoder.encode(text), dataLength);
  });

  it('reads the same entries whatever the piece size, pieces cut at every position', () => {
    const header =
      '{"__metadata__":{"note":"caf\u00e9 \\u00e9 \\ud83d\\ude00 \u{1f600}","k":"v"},' +
      '"\u00e9l\u00e8ve":{"dtype":"F32","shape":[2, 3],"data_offsets":[0,24]},' +
      ' "\\u00e9\\/x" : { "shape" : [ 1 ] , "dtype" : "BF16" , "data_offsets" : [ 24 , 26 ] } ,' +
      '"\u{1f600}":{"data_offsets":[26,34],"dtype":"I64","shape":[]}}';
    const bytes = encoder.encode(header);
    const whole = scanSafetensorsHeader(bytes);
    expect(whole).toBeDefined();
    expect([...whole!.tensors.keys()]).toEqual(['\u00e9l\u00e8ve', '\u00e9/x', '\u{1f600}']);
    for (let size = 4; size <= bytes.length + 1; size++) {
      const pieces = scanSafetensorsHeader(bytes, size);
      expect({ size, tensors: [...pieces!.tensors], metadata: [...pieces!.metadata] }).toEqual({
        size,
        tensors: [...whole!.tensors],
        metadata: [...whole!.metadata],
      });
    }
  });

  it('reads a metadata value longer than many pieces', () => {
    const long = 'x\u00e9'.repeat(50_000);
    const header = `{"__metadata__":{"config":${JSON.stringify(long)}},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}`;
    for (const size of [4, 1000, 65_536]) {
      const scanned = scanSafetensorsHeader(encoder.encode(header), size);
      expect(scanned?.metadata.get('config')).toBe(long);
    }
  });

  it('gives up on bytes that are not UTF-8, and the precise parser reports them', () => {
    const bytes = encoder.encode('{"ab":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}');
    bytes[3] = 0xc3; // starts a 2-byte character that "b" does not continue
    expect(scanSafetensorsHeader(bytes)).toBeUndefined();
    expect(expectSameAsOracle(bytes, 1)).toMatchObject({
      error: { code: 'SAFETENSORS_HEADER_NOT_UTF8', byteOffset: 11 },
    });
  });

  it('agrees with the old parser on a 2,000-tensor header, sorted and as written', () => {
    const { text, dataLength } = makeSafetensorsHeaderText(2000);
    const bytes = safetensorsHeaderBytes(text);
    expect(scanSafetensorsHeader(bytes.subarray(8))).toBeDefined();
    const options = { fileSize: bytes.length + dataLength };
    expect(outcome(() => parseSafetensorsHeader(bytes, options))).toEqual(
      outcome(() => parseSafetensorsHeaderOracle(bytes, options)),
    );
  });
});
