/*
 * A strict JSON parser for safetensors headers. `JSON.parse` cannot be used as is: it keeps
 * the last of duplicate keys silently, turns large integers into inexact doubles and gives
 * no position for what it found. This parser keeps object keys in Maps (so `__proto__` is an
 * ordinary key), reports duplicates, keeps integers exact as bigint and records where every
 * value starts (a UTF-16 index into the header string).
 */

export type HeaderValue =
  | { readonly kind: 'object'; readonly at: number; readonly entries: Map<string, HeaderEntry> }
  | { readonly kind: 'array'; readonly at: number; readonly items: HeaderValue[] }
  | { readonly kind: 'string'; readonly at: number; readonly value: string }
  | { readonly kind: 'integer'; readonly at: number; readonly value: bigint }
  | { readonly kind: 'number'; readonly at: number; readonly value: number }
  | { readonly kind: 'boolean'; readonly at: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly at: number };

export interface HeaderEntry {
  /** Where the key's opening quote is. */
  readonly keyAt: number;
  readonly value: HeaderValue;
}

/** Thrown by `parseHeaderJson`; `at` is a UTF-16 index into the parsed text. */
export class HeaderJsonError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly duplicate?: { readonly key: string; readonly depth: number },
  ) {
    super(message);
  }
}

// serde_json, which the reference implementation uses, stops at 128 levels too.
const MAX_DEPTH = 128;

export function parseHeaderJson(text: string): HeaderValue {
  let position = 0;

  const fail = (message: string, at = position): never => {
    throw new HeaderJsonError(message, at);
  };

  const skipWhitespace = () => {
    while (position < text.length) {
      const code = text.charCodeAt(position);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) position++;
      else break;
    }
  };

  const parseString = (): string => {
    const start = position;
    position++;
    let result = '';
    let chunkStart = position;
    for (;;) {
      if (position >= text.length) fail('unterminated string', start);
      const code = text.charCodeAt(position);
      if (code === 0x22) {
        result += text.slice(chunkStart, position);
        position++;
        return result;
      }
      if (code < 0x20) fail('control character in string');
      if (code !== 0x5c) {
        position++;
        continue;
      }
      result += text.slice(chunkStart, position);
      const escaped = text[position + 1];
      position += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          result += escaped;
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const unit = readHexUnit();
          if (unit >= 0xd800 && unit <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate, as serde_json requires.
            if (text[position] !== '\\' || text[position + 1] !== 'u') {
              fail('lone surrogate in string escape');
            }
            position += 2;
            const low = readHexUnit();
            if (low < 0xdc00 || low > 0xdfff) fail('lone surrogate in string escape');
            result += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            fail('lone surrogate in string escape');
          } else {
            result += String.fromCharCode(unit);
          }
          break;
        }
        default:
          fail('invalid escape in string', position - 2);
      }
      chunkStart = position;
    }
  };

  const readHexUnit = (): number => {
    const hex = text.slice(position, position + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
    position += 4;
    return Number.parseInt(hex, 16);
  };

  const numberPattern = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

  const parseValue = (depth: number): HeaderValue => {
    skipWhitespace();
    const at = position;
    const char = text[position];
    if (char === '{') {
      if (depth >= MAX_DEPTH) fail('nesting too deep');
      position++;
      const entries = new Map<string, HeaderEntry>();
      skipWhitespace();
      if (text[position] === '}') {
        position++;
        return { kind: 'object', at, entries };
      }
      for (;;) {
        skipWhitespace();
        if (text[position] !== '"') fail('expected a string key');
        const keyAt = position;
        const key = parseString();
        if (entries.has(key)) {
          throw new HeaderJsonError(`duplicate key ${JSON.stringify(key)}`, keyAt, { key, depth });
        }
        skipWhitespace();
        if (text[position] !== ':') fail("expected ':'");
        position++;
        entries.set(key, { keyAt, value: parseValue(depth + 1) });
        skipWhitespace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === '}') {
          position++;
          return { kind: 'object', at, entries };
        }
        fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      if (depth >= MAX_DEPTH) fail('nesting too deep');
      position++;
      const items: HeaderValue[] = [];
      skipWhitespace();
      if (text[position] === ']') {
        position++;
        return { kind: 'array', at, items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[position] === ',') {
          position++;
          continue;
        }
        if (text[position] === ']') {
          position++;
          return { kind: 'array', at, items };
        }
        fail("expected ',' or ']'");
      }
    }
    if (char === '"') return { kind: 'string', at, value: parseString() };
    if (text.startsWith('true', position)) {
      position += 4;
      return { kind: 'boolean', at, value: true };
    }
    if (text.startsWith('false', position)) {
      position += 5;
      return { kind: 'boolean', at, value: false };
    }
    if (text.startsWith('null', position)) {
      position += 4;
      return { kind: 'null', at };
    }
    numberPattern.lastIndex = position;
    const match = numberPattern.exec(text);
    if (match === null)
      return fail(position >= text.length ? 'unexpected end' : 'unexpected character');
    position += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      return { kind: 'integer', at, value: BigInt(match[0]) };
    }
    return { kind: 'number', at, value: Number(match[0]) };
  };

  const root = parseValue(0);
  skipWhitespace();
  if (position !== text.length) fail('unexpected text after the header object');
  return root;
}
