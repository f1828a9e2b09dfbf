/*
 * fast-check pieces for the strict JSON parser tests: JSON text written with random
 * whitespace and random escapes (so the same value has many spellings), and edits that break
 * it at the level of tokens or of bytes.
 */
import fc from 'fast-check';

/** Whitespace between tokens: mostly none, sometimes each kind JSON allows. */
export const jsonSpace: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '',
  '',
  ' ',
  '\n',
  '\t',
  '\r\n    ',
);

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const hex4 = (unit: number, upper: boolean) => {
  const digits = unit.toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
};

/**
 * `value` as a JSON string literal. `choices` (cycled) decide per character: 0 raw where
 * allowed, 1 `\uXXXX`, 2 `\uXXXX` upper case or `\/` for a slash. Characters that must be
 * escaped always are; a lone surrogate is written as its escape (which strict parsers refuse).
 */
export function jsonLiteral(value: string, choices: readonly number[] = []): string {
  let out = '"';
  let index = 0;
  for (const char of value) {
    const choice = choices.length === 0 ? 0 : choices[index++ % choices.length]!;
    const code = char.charCodeAt(0);
    const lone = char.length === 1 && code >= 0xd800 && code <= 0xdfff;
    if (choice === 0 && !lone && SHORT_ESCAPES[char] === undefined && code >= 0x20) {
      out += char;
    } else if (choice === 2 && char === '/') {
      out += '\\/';
    } else if (choice === 0 && SHORT_ESCAPES[char] !== undefined) {
      out += SHORT_ESCAPES[char];
    } else {
      for (let unit = 0; unit < char.length; unit++)
        out += hex4(char.charCodeAt(unit), choice === 2);
    }
  }
  return `${out}"`;
}

/** Strings that are hard for a JSON parser and for code that keys objects by them. */
export const awkwardString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'é',
      '😀',
      'a"b',
      'back\\slash',
      '',
      '1',
      '01',
    ),
  },
);

/** A string as a JSON literal with random escaping. */
export const literalOf = (strings: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(strings, fc.array(fc.nat(2), { maxLength: 6 }))
    .map(([value, choices]) => jsonLiteral(value, choices));

/** Values that break shapes, offsets, names and strict parsing. */
export const HOSTILE_TOKENS: readonly string[] = [
  '-1',
  '0',
  '-0',
  '1.0',
  '1e2',
  '1E+2',
  '01',
  '2.',
  '-',
  '123456789012345',
  '1234567890123456',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '18446744073709551616',
  '1e400',
  '""',
  '"F32"',
  '"BF16"',
  '"F4"',
  '"f32"',
  '"__metadata__"',
  '"weight_map"',
  '"metadata"',
  '"__proto__"',
  '"."',
  '".."',
  '"a/b"',
  '"a\\\\b"',
  '"a\\/b"',
  '"\\u002e"',
  '"\\ud800"',
  '"\\ud83d\\ude00"',
  '"\\udc00"',
  '"\\u00e9"',
  '"\\x"',
  '"\u0001"',
  '"unterminated',
  '[]',
  '[0]',
  '[0,1]',
  '[1,0]',
  '[0,1,2]',
  '{}',
  '{"a":1}',
  '{"a":1,"a":2}',
  'null',
  'true',
  'tru',
  'nul',
  ',',
  ':',
  '{',
  '}',
  '[',
  ']',
  `${'['.repeat(130)}${']'.repeat(130)}`,
];

/** One edit of a JSON text: of a token, of a byte, or a cut. */
export type JsonEdit =
  | { kind: 'replace'; index: number; token: string }
  | { kind: 'delete'; index: number; count: number }
  | { kind: 'repeat'; index: number; count: number }
  | { kind: 'repeat-member'; index: number }
  | { kind: 'byte'; index: number; byte: number }
  | { kind: 'insert-byte'; index: number; byte: number }
  | { kind: 'truncate'; index: number };

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      index: fc.nat(),
      token: fc.constantFrom(...HOSTILE_TOKENS),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      index: fc.nat(),
      count: fc.integer({ min: 1, max: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('repeat-member' as const), index: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      index: fc.nat(),
      count: fc.integer({ min: 1, max: 12 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('byte' as const),
      index: fc.nat(),
      byte: fc.constantFrom(0x00, 0x22, 0x2c, 0x5c, 0x7b, 0x7d, 0x80, 0xc3, 0xe2, 0xf0, 0xfe, 0xff),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert-byte' as const),
      index: fc.nat(),
      byte: fc.constantFrom(0x20, 0x22, 0x2c, 0x3a, 0x5c, 0xc3, 0xa9, 0xef, 0xbb, 0xbf),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), index: fc.nat() }) },
);

const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\],:]/g;

/**
 * Apply `edits` to `text` (token edits on the text, byte edits on its UTF-8 bytes); `index`
 * is taken modulo the number of tokens or bytes.
 *
 * @example
 * applyJsonEdits('{"a":1}', [{ kind: 'replace', index: 3, token: '-0' }]); // bytes of '{"a":-0}'
 */
export function applyJsonEdits(text: string, edits: readonly JsonEdit[]): Uint8Array {
  let current = text;
  let bytes: Uint8Array | undefined;
  for (const edit of edits) {
    if (
      edit.kind === 'replace' ||
      edit.kind === 'delete' ||
      edit.kind === 'repeat' ||
      edit.kind === 'repeat-member'
    ) {
      if (bytes !== undefined) continue; // token edits only before byte edits
      const tokens = [...current.matchAll(TOKEN)];
      if (tokens.length === 0) continue;
      if (edit.kind === 'repeat-member') {
        current = repeatMember(current, tokens, edit.index);
        continue;
      }
      if (edit.kind === 'repeat') {
        // Repeats a run of tokens: duplicate members, elements, keys.
        const first = tokens[edit.index % tokens.length]!;
        const last =
          tokens[Math.min(tokens.length - 1, (edit.index % tokens.length) + edit.count - 1)]!;
        const end = last.index + last[0].length;
        current = current.slice(0, end) + current.slice(first.index, end) + current.slice(end);
        continue;
      }
      const token = tokens[edit.index % tokens.length]!;
      if (edit.kind === 'delete') {
        const last =
          tokens[Math.min(tokens.length - 1, (edit.index % tokens.length) + edit.count - 1)]!;
        current = current.slice(0, token.index) + current.slice(last.index + last[0].length);
        continue;
      }
      current =
        current.slice(0, token.index) + edit.token + current.slice(token.index + token[0].length);
      continue;
    }
    bytes ??= new TextEncoder().encode(current);
    if (bytes.length === 0) continue;
    const at = edit.index % bytes.length;
    if (edit.kind === 'byte') {
      bytes = bytes.slice();
      bytes[at] = edit.byte;
    } else if (edit.kind === 'insert-byte') {
      const next = new Uint8Array(bytes.length + 1);
      next.set(bytes.subarray(0, at));
      next[at] = edit.byte;
      next.set(bytes.subarray(at), at + 1);
      bytes = next;
    } else {
      bytes = bytes.slice(0, at);
    }
  }
  return bytes ?? new TextEncoder().encode(current);
}

/**
 * Repeat one object member (`"key": value`, the `index`-th key modulo their number) right
 * after itself: valid JSON with a duplicate key, at any depth.
 */
function repeatMember(
  text: string,
  tokens: RegExpExecArray[] | RegExpMatchArray[],
  index: number,
): string {
  const keys = tokens
    .map((token, position) => ({ token, position }))
    .filter(({ token, position }) => token[0].startsWith('"') && tokens[position + 1]?.[0] === ':');
  if (keys.length === 0) return text;
  const { token: key, position } = keys[index % keys.length]!;
  let depth = 0;
  let last = position + 2;
  for (; last < tokens.length; last++) {
    const value = tokens[last]![0];
    if (value === '{' || value === '[') depth++;
    else if (value === '}' || value === ']') depth--;
    if (depth <= 0) break;
  }
  const end = tokens[Math.min(last, tokens.length - 1)]!;
  const stop = end.index! + end[0].length;
  return `${text.slice(0, stop)},${text.slice(key.index!, stop)}${text.slice(stop)}`;
}
