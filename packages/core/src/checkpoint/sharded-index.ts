/*
 * A streaming, strict parser for `model.safetensors.index.json`. A large mixture-of-experts
 * model's index has about 500,000 entries (60 MB): this reads it chunk by chunk as it
 * arrives (a fetch body, a file stream), never holding the whole text, and builds the
 * weight map directly. It is as strict as the syntax-tree parser the sharded reader used
 * (`header-json.ts`): duplicate keys at any depth, control characters, lone surrogate
 * escapes and nesting over 128 are refused with the byte offset that parser reports, and
 * integers keep their exact value. Problems are reported in the same order of precedence as
 * reading the whole file first would give: invalid UTF-8 anywhere, then malformed JSON, then
 * what the index means (no object, no weight_map, a bad shard name), in file order.
 */
import {
  createStringScan,
  MALFORMED,
  NEED_MORE,
  scanJsonString,
  skipWhitespace,
} from './json-token-scan.js';
import { SafetensorsError } from './safetensors-error.js';
import { PIECE_BYTES, Utf8DecodeError, Utf8PieceReader, utf8Length } from './utf8-piece-reader.js';

/**
 * A JSON value of the index's `metadata`: objects are `Map`s (so `__proto__` is an ordinary
 * key), integers are numbers when they are safe integers and bigints otherwise (exact).
 */
export type IndexMetadataValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | IndexMetadataValue[]
  | Map<string, IndexMetadataValue>;

/** What `parseShardedIndex` returns. */
export interface ShardedIndex {
  /** Tensor name to shard file name, in file order. */
  readonly weightMap: Map<string, string>;
  /** The index's `metadata` object (empty when it has none, or it is not an object). */
  readonly metadata: Map<string, IndexMetadataValue>;
  /** The distinct shard file names, in order of first appearance in `weightMap`. */
  readonly shards: string[];
}

export interface ParseShardedIndexOptions {
  /** The index's name or path, for error messages. */
  file: string;
}

/** Input the parser reads: the text, its bytes, or its bytes as they arrive. */
export type ShardedIndexInput =
  | string
  | Uint8Array
  | AsyncIterable<Uint8Array>
  | ReadableStream<Uint8Array>;

/**
 * Parse and validate a sharded checkpoint's index (`model.safetensors.index.json`): a UTF-8
 * JSON object (a leading byte order mark is skipped) whose `weight_map` object maps each
 * tensor name to a shard that is a plain file name in the index's folder (not empty, `.` or
 * `..`, no `/` or `\`). Duplicate keys are refused at any depth. Every problem is a
 * `SafetensorsError` with code SAFETENSORS_INDEX_INVALID, the `file`, the absolute
 * `byteOffset` and, for a bad entry, the `tensor`; input of another type is
 * SAFETENSORS_INVALID_OPTION. Chunks are parsed as they arrive: the whole text is never held
 * in memory (tensor names are, in the result). Problems are ranked as if the whole file had
 * been read first (invalid UTF-8 anywhere, then malformed JSON, then the first bad entry), so
 * after a problem the rest of the input is still read, to check it is UTF-8.
 *
 * @example
 * const response = await fetch(`${base}/model.safetensors.index.json`);
 * const index = await parseShardedIndex(response.body!, { file: response.url });
 * index.weightMap.get('model.embed_tokens.weight'); // 'model-00001-of-00163.safetensors'
 * index.shards.length; // 163
 */
export async function parseShardedIndex(
  input: ShardedIndexInput,
  options: ParseShardedIndexOptions,
): Promise<ShardedIndex> {
  return parseShardedIndexInPieces(input, options, PIECE_BYTES);
}

/**
 * `parseShardedIndex` reading pieces of `pieceBytes` (at least 4) instead of 64 KiB: for
 * tests that cut the text at every position. Not exported from the package.
 */
export async function parseShardedIndexInPieces(
  input: ShardedIndexInput,
  options: ParseShardedIndexOptions,
  pieceBytes: number,
): Promise<ShardedIndex> {
  const parser = new IndexParser(options.file, pieceBytes);
  if (typeof input === 'string') {
    parser.parseText(input);
  } else if (input instanceof Uint8Array) {
    parser.push(input);
    parser.end();
  } else if (isStream(input)) {
    for await (const chunk of chunksOf(input)) {
      if (!(chunk instanceof Uint8Array)) {
        throw new SafetensorsError({
          code: 'SAFETENSORS_INVALID_OPTION',
          message: `the index stream must yield Uint8Array chunks, got ${describeInput(chunk)}`,
          file: options.file,
        });
      }
      parser.push(chunk);
    }
    parser.end();
  } else {
    throw new SafetensorsError({
      code: 'SAFETENSORS_INVALID_OPTION',
      message: `parseShardedIndex reads a string, a Uint8Array, an async iterable of Uint8Array or a ReadableStream, got ${describeInput(input)}`,
      file: options.file,
    });
  }
  return parser.result();
}

function isStream(input: unknown): input is AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> {
  return (
    typeof input === 'object' &&
    input !== null &&
    (Symbol.asyncIterator in input || typeof (input as ReadableStream).getReader === 'function')
  );
}

function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}

async function* chunksOf(
  input: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in input) {
    yield* input as AsyncIterable<Uint8Array>;
    return;
  }
  // Browsers without async iteration of streams.
  const reader = (input as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

// Roles of an open object or array.
const ROOT = 0;
const WEIGHT_MAP = 1;
const BUILD = 2; // inside "metadata": the value is built
const SKIP = 3; // checked, not kept

interface Frame {
  readonly isObject: boolean;
  readonly role: number;
  /** Keys seen, for duplicates (objects of role ROOT and SKIP). */
  readonly keys: Set<string> | undefined;
  /** The value being built (role BUILD). */
  readonly container: Map<string, IndexMetadataValue> | IndexMetadataValue[] | undefined;
  /** The key whose value comes next (objects). */
  key: string;
}

// What the parser expects next.
const VALUE = 0;
const OBJECT_FIRST = 1; // after '{'
const OBJECT_KEY = 2; // after ','
const OBJECT_COLON = 3;
const OBJECT_NEXT = 4; // after a member
const ARRAY_FIRST = 5; // after '['
const ARRAY_NEXT = 6; // after an element
const END = 7; // after the root value

// Results of a scanning step besides a position.
const NEED = NEED_MORE;
const FAILED = -2;

// The precise parser's limit, serde_json's too.
const MAX_DEPTH = 128;

const KIND_STRING = 0;
const KIND_INTEGER = 1;
const KIND_NUMBER = 2;
const KIND_LITERAL = 3;

class IndexParser {
  readonly weightMap = new Map<string, string>();
  readonly shards: string[] = [];
  private metadata = new Map<string, IndexMetadataValue>();
  private readonly canonicalShards = new Map<string, string>();
  /** The last shard seen: consecutive entries usually share it, and comparing beats a lookup. */
  private lastShard = '';

  private readonly reader = new Utf8PieceReader();
  private pieceSize: number;
  private readonly stack: Frame[] = [];
  private state = VALUE;
  /** No text read yet: a byte order mark may come. */
  private atStart = true;
  private sawWeightMap = false;
  private rootByteOffset = 0;
  private readonly string = createStringScan();
  // Of the token just read by `scalar`.
  private kind = KIND_STRING;
  private literal: boolean | null = null;
  private numberText = '';

  /** The first malformed JSON or invalid UTF-8 found; nothing after it is parsed. */
  private syntaxError: SafetensorsError | undefined;
  /** The first problem with what the index means; reported only if the JSON is sound. */
  private meaningError: SafetensorsError | undefined;
  /** Byte offset in the input of a UTF-16 index into the text being scanned. */
  private locate: (text: string, at: number) => number = (text, at) =>
    this.reader.offsetIn(text, at);

  constructor(
    private readonly file: string,
    private readonly pieceBytes: number,
  ) {
    this.pieceSize = pieceBytes;
  }

  push(chunk: Uint8Array): void {
    this.reader.push(chunk);
    this.pump(false);
  }

  end(): void {
    this.pump(true);
  }

  parseText(text: string): void {
    const lone = loneSurrogate(text);
    if (lone >= 0) {
      this.syntaxError = this.invalid(
        'the index text has a lone surrogate, which has no UTF-8 form',
        utf8Length(text, 0, lone),
      );
      return;
    }
    this.locate = (whole, at) => utf8Length(whole, 0, at);
    this.scan(text, true);
  }

  result(): ShardedIndex {
    if (this.syntaxError !== undefined) throw this.syntaxError;
    if (this.meaningError !== undefined) throw this.meaningError;
    return { weightMap: this.weightMap, metadata: this.metadata, shards: this.shards };
  }

  /** Parse every piece available; after a syntax error, only check the rest is UTF-8. */
  private pump(final: boolean): void {
    const reader = this.reader;
    try {
      for (;;) {
        const piece = reader.read(this.pieceSize, final);
        if (piece === undefined) return;
        const last = final && reader.pieceReachesEnd;
        if (this.syntaxError !== undefined) {
          reader.consume(piece, piece.length);
          if (last) return;
          continue;
        }
        const used = this.scan(piece, last);
        if (this.syntaxError !== undefined) continue;
        if (last) return;
        // A token longer than a piece: read it again from a piece twice as long, so a
        // long token costs linear, not quadratic, time.
        this.pieceSize = used === 0 ? this.pieceSize * 2 : this.pieceBytes;
        reader.consume(piece, used);
      }
    } catch (error) {
      if (!(error instanceof Utf8DecodeError)) throw error;
      // Invalid UTF-8 anywhere comes first, as when the whole file is decoded before parsing.
      this.syntaxError = this.invalid('the index is not valid UTF-8', error.byteOffset);
    }
  }

  private invalid(message: string, byteOffset: number, tensor?: string): SafetensorsError {
    return new SafetensorsError({
      code: 'SAFETENSORS_INDEX_INVALID',
      message,
      file: this.file,
      byteOffset,
      ...(tensor === undefined ? {} : { tensor }),
    });
  }

  private fail(text: string, message: string, at: number): number {
    this.syntaxError = this.invalid(
      `the index is not valid JSON: ${message}`,
      this.locate(text, at),
    );
    return FAILED;
  }

  private meaning(text: string, message: string, at: number, tensor?: string): void {
    this.meaningError ??= this.invalid(message, this.locate(text, at), tensor);
  }

  /**
   * Scan `text` as far as whole tokens go; returns how many UTF-16 units were used (the rest
   * starts a token the piece cut short) or FAILED. With `final`, `text` ends the input.
   */
  private scan(text: string, final: boolean): number {
    const length = text.length;
    let position = 0;
    if (this.atStart && length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) position = 1;
    }
    for (;;) {
      position = skipWhitespace(text, position);
      if (position >= length) {
        if (!final || this.state === END) return position;
        return this.fail(text, endMessage(this.state), position);
      }
      const code = text.charCodeAt(position);
      switch (this.state) {
        case OBJECT_FIRST:
        case OBJECT_KEY: {
          if (code === 0x7d && this.state === OBJECT_FIRST) {
            position = this.close(position);
            break;
          }
          const frame = this.stack[this.stack.length - 1]!;
          if (frame.role === WEIGHT_MAP) {
            const next = this.weightMapEntries(text, position);
            if (next !== position) {
              position = next;
              break;
            }
          }
          if (code !== 0x22) return this.fail(text, 'expected a string key', position);
          const next = scanJsonString(text, position, final, this.string);
          if (next === NEED) return position;
          if (next === MALFORMED) return this.fail(text, this.string.message, this.string.errorAt);
          const key = this.string.value;
          if (this.isDuplicate(frame, key)) {
            return this.fail(text, `duplicate key ${JSON.stringify(key)}`, position);
          }
          frame.key = key;
          this.state = OBJECT_COLON;
          position = next;
          break;
        }
        case OBJECT_COLON:
          if (code !== 0x3a) return this.fail(text, "expected ':'", position);
          this.state = VALUE;
          position++;
          break;
        case OBJECT_NEXT:
          if (code === 0x2c) {
            this.state = OBJECT_KEY;
            position++;
          } else if (code === 0x7d) {
            position = this.close(position);
          } else return this.fail(text, "expected ',' or '}'", position);
          break;
        case ARRAY_NEXT:
          if (code === 0x2c) {
            this.state = VALUE;
            position++;
          } else if (code === 0x5d) {
            position = this.close(position);
          } else return this.fail(text, "expected ',' or ']'", position);
          break;
        case ARRAY_FIRST:
          if (code === 0x5d) position = this.close(position);
          else this.state = VALUE; // an element
          break;
        case VALUE: {
          if (code === 0x7b || code === 0x5b) {
            if (this.stack.length >= MAX_DEPTH)
              return this.fail(text, 'nesting too deep', position);
            this.open(text, position, code === 0x7b);
            position++;
            break;
          }
          const next = this.scalar(text, position, final);
          if (next < 0) return next === NEED ? position : FAILED;
          this.scalarDone(text, position);
          position = next;
          break;
        }
        default:
          return this.fail(text, 'unexpected text after the header object', position);
      }
    }
  }

  private isDuplicate(frame: Frame, key: string): boolean {
    if (frame.role === WEIGHT_MAP) return this.weightMap.has(key);
    if (frame.role === BUILD) {
      const map = frame.container as Map<string, IndexMetadataValue>;
      if (map.has(key)) return true;
      map.set(key, null); // keeps key order; the value follows
      return false;
    }
    const keys = frame.keys!;
    if (keys.has(key)) return true;
    keys.add(key);
    return false;
  }

  /** An object or array starts at `at`. */
  private open(text: string, at: number, isObject: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    let role = SKIP;
    let container: Frame['container'];
    if (parent === undefined) {
      if (isObject) {
        role = ROOT;
        this.rootByteOffset = this.locate(text, at);
      } else this.meaning(text, 'the index must be a JSON object', at);
    } else if (parent.role === ROOT) {
      if (parent.key === 'weight_map') {
        if (isObject) {
          role = WEIGHT_MAP;
          this.sawWeightMap = true;
        } else this.meaning(text, 'the index has no "weight_map" object', at);
      } else if (parent.key === 'metadata' && isObject) {
        role = BUILD;
        container = this.metadata;
      }
    } else if (parent.role === WEIGHT_MAP) {
      this.badShardValue(text, at, parent.key);
    } else if (parent.role === BUILD) {
      role = BUILD;
      container = isObject ? new Map() : [];
      this.attach(parent, container);
    }
    this.stack.push({
      isObject,
      role,
      keys: isObject && (role === ROOT || role === SKIP) ? new Set() : undefined,
      container,
      key: '',
    });
    this.state = isObject ? OBJECT_FIRST : ARRAY_FIRST;
  }

  /** The object or array on top of the stack ends at `at`; returns the position after it. */
  private close(at: number): number {
    const frame = this.stack.pop()!;
    if (frame.role === ROOT && !this.sawWeightMap) {
      this.meaningError ??= this.invalid(
        'the index has no "weight_map" object',
        this.rootByteOffset,
      );
    }
    this.afterValue();
    return at + 1;
  }

  private afterValue(): void {
    const parent = this.stack[this.stack.length - 1];
    this.state = parent === undefined ? END : parent.isObject ? OBJECT_NEXT : ARRAY_NEXT;
  }

  private attach(parent: Frame, value: IndexMetadataValue): void {
    if (parent.isObject)
      (parent.container as Map<string, IndexMetadataValue>).set(parent.key, value);
    else (parent.container as IndexMetadataValue[]).push(value);
  }

  private badShardValue(text: string, at: number, name: string): void {
    this.meaning(text, `weight_map[${JSON.stringify(name)}] must be a shard file name`, at, name);
    this.weightMap.set(name, ''); // still a key, for duplicates
  }

  /**
   * A string, number or literal at `at` (the precise parser's rules: `true`, `false`,
   * `null`, and `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`). Returns the position after
   * it, NEED or FAILED.
   */
  private scalar(text: string, at: number, final: boolean): number {
    const length = text.length;
    const code = text.charCodeAt(at);
    if (code === 0x22) {
      const next = scanJsonString(text, at, final, this.string);
      if (next === MALFORMED) return this.fail(text, this.string.message, this.string.errorAt);
      this.kind = KIND_STRING;
      return next;
    }
    if (code === 0x74 || code === 0x66 || code === 0x6e) {
      if (!final && length - at < 5) return NEED;
      this.kind = KIND_LITERAL;
      if (text.startsWith('true', at)) {
        this.literal = true;
        return at + 4;
      }
      if (text.startsWith('false', at)) {
        this.literal = false;
        return at + 5;
      }
      if (text.startsWith('null', at)) {
        this.literal = null;
        return at + 4;
      }
      return this.fail(text, 'unexpected character', at);
    }
    // A number: any step may reach the end of the piece, and then more digits may follow.
    let position = at;
    if (code === 0x2d) position++;
    if (position >= length) return final ? this.fail(text, 'unexpected end', at) : NEED;
    const first = text.charCodeAt(position);
    if (first === 0x30) position++;
    else if (first >= 0x31 && first <= 0x39) {
      position = skipDigits(text, position + 1);
    } else return this.fail(text, 'unexpected character', at);
    let integer = true;
    if (position >= length) {
      if (!final) return NEED;
    } else if (text.charCodeAt(position) === 0x2e) {
      if (position + 1 >= length && !final) return NEED;
      if (isDigit(text.charCodeAt(position + 1))) {
        integer = false;
        position = skipDigits(text, position + 2);
        if (position >= length && !final) return NEED;
      }
    }
    if (position < length && (text.charCodeAt(position) | 0x20) === 0x65) {
      let digits = position + 1;
      const sign = text.charCodeAt(digits);
      if (sign === 0x2b || sign === 0x2d) digits++;
      if (digits >= length && !final) return NEED;
      if (isDigit(text.charCodeAt(digits))) {
        integer = false;
        position = skipDigits(text, digits + 1);
        if (position >= length && !final) return NEED;
      }
    }
    this.kind = integer ? KIND_INTEGER : KIND_NUMBER;
    this.numberText = text.slice(at, position);
    return position;
  }

  /** The scalar `scalar` just read, which started at `at`, is a value. */
  private scalarDone(text: string, at: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent === undefined) {
      this.meaning(text, 'the index must be a JSON object', at);
    } else if (parent.role === WEIGHT_MAP) {
      if (this.kind !== KIND_STRING) this.badShardValue(text, at, parent.key);
      else {
        const shard = this.string.value;
        if (isPlainFileName(shard)) this.weightMap.set(parent.key, this.canonicalShard(shard));
        else this.badShardName(text, at, parent.key, shard);
      }
    } else if (parent.role === ROOT) {
      if (parent.key === 'weight_map') {
        this.meaning(text, 'the index has no "weight_map" object', at);
      }
    } else if (parent.role === BUILD) {
      this.attach(parent, this.scalarValue());
    }
    this.afterValue();
  }

  private scalarValue(): IndexMetadataValue {
    if (this.kind === KIND_STRING) return this.string.value;
    if (this.kind === KIND_LITERAL) return this.literal;
    if (this.kind === KIND_NUMBER) return Number(this.numberText);
    const value = BigInt(this.numberText);
    return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
  }

  private badShardName(text: string, at: number, name: string, shard: string): void {
    this.meaning(
      text,
      `shard ${JSON.stringify(shard)} is not a plain file name in the index's folder`,
      at,
      name,
    );
    this.weightMap.set(name, '');
  }

  private canonicalShard(shard: string): string {
    if (shard === this.lastShard) return this.lastShard;
    let canonical = this.canonicalShards.get(shard);
    if (canonical === undefined) {
      // A copy: a slice of a piece would keep the whole 64 KiB piece alive with it.
      canonical = detach(shard);
      this.canonicalShards.set(canonical, canonical);
      this.shards.push(canonical);
    }
    this.lastShard = canonical;
    return canonical;
  }

  /**
   * The fast path: plain `"name": "shard",` members of the weight map, as many as the piece
   * holds whole, each committed once its `,` or `}` is seen. Returns where it stopped: at a
   * member it does not take (escapes, a bad or non-string value, a duplicate, the end of the
   * piece), which the general path then reads, or at the `}`.
   */
  private weightMapEntries(text: string, start: number): number {
    const length = text.length;
    const weightMap = this.weightMap;
    let position = start;
    for (;;) {
      if (text.charCodeAt(position) !== 0x22) return position;
      let cursor = position + 1;
      for (;;) {
        if (cursor >= length) return position;
        const code = text.charCodeAt(cursor);
        if (code === 0x22) break;
        if (code === 0x5c || code < 0x20) return position;
        cursor++;
      }
      const keyEnd = cursor;
      cursor = skipWhitespace(text, cursor + 1);
      if (cursor >= length || text.charCodeAt(cursor) !== 0x3a) return position;
      cursor = skipWhitespace(text, cursor + 1);
      if (cursor >= length || text.charCodeAt(cursor) !== 0x22) return position;
      const valueStart = cursor + 1;
      cursor = valueStart;
      for (;;) {
        if (cursor >= length) return position;
        const code = text.charCodeAt(cursor);
        if (code === 0x22) break;
        // Slashes, escapes and control characters: the general path decides.
        if (code === 0x2f || code === 0x5c || code < 0x20) return position;
        cursor++;
      }
      const valueEnd = cursor;
      cursor = skipWhitespace(text, cursor + 1);
      if (cursor >= length) return position;
      const after = text.charCodeAt(cursor);
      if (after !== 0x2c && after !== 0x7d) return position;
      const valueLength = valueEnd - valueStart;
      let shard = this.lastShard;
      if (valueLength === 0) return position; // '' (and the first lastShard) is no file name
      if (valueLength !== shard.length || !text.startsWith(shard, valueStart)) {
        shard = text.slice(valueStart, valueEnd);
        if (shard === '' || shard === '.' || shard === '..') return position;
        shard = this.canonicalShard(shard);
      }
      const size = weightMap.size;
      weightMap.set(text.slice(position + 1, keyEnd), shard);
      // A duplicate: the general path reads this member again and reports it.
      if (weightMap.size === size) return position;
      if (after === 0x7d) {
        this.state = OBJECT_NEXT;
        return cursor;
      }
      this.state = OBJECT_KEY;
      position = skipWhitespace(text, cursor + 1);
      if (position >= length) return position;
    }
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A copy of `text` that shares no memory with the string it was cut from (V8 makes slices of
 * 13 or more characters views that keep their whole parent alive).
 */
function detach(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

function isPlainFileName(shard: string): boolean {
  return shard !== '' && shard !== '.' && shard !== '..' && !/[/\\]/.test(shard);
}

function endMessage(state: number): string {
  switch (state) {
    case OBJECT_FIRST:
    case OBJECT_KEY:
      return 'expected a string key';
    case OBJECT_COLON:
      return "expected ':'";
    case OBJECT_NEXT:
      return "expected ',' or '}'";
    case ARRAY_NEXT:
      return "expected ',' or ']'";
    default:
      return 'unexpected end';
  }
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function skipDigits(text: string, start: number): number {
  let position = start;
  while (position < text.length && isDigit(text.charCodeAt(position))) position++;
  return position;
}

/** Index of the first lone surrogate in `text`, or -1. */
function loneSurrogate(text: string): number {
  const match = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  return match === null ? -1 : match.index;
}
