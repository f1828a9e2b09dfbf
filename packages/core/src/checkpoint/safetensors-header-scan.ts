/*
 * The fast path of `parseSafetensorsHeader`. It reads the header as the reference writers
 * lay it out (an object of tensor entries with exactly dtype, shape and data_offsets, plus
 * `__metadata__` of strings) in one pass over 64 KiB pieces, building the tensor infos
 * directly: no syntax tree, no bigint, no per-token objects. It never reports an error: on
 * anything it does not accept (malformed JSON, a duplicate, an integer of 16 or more digits,
 * an unknown key, a bad entry, invalid UTF-8) it gives up, and the caller runs the precise
 * parser, which then accepts or refuses the header with the exact code and byte offset. So
 * the fast path decides nothing on its own: whatever it accepts, the precise parser accepts
 * with the same result (the property tests check this).
 */
import { type Dtype, dtypeSize, isDtype } from './dtype.js';
import { createStringScan, NEED_MORE, scanJsonString, skipWhitespace } from './json-token-scan.js';
import type { SafetensorsTensorInfo } from './safetensors-header.js';
import { PIECE_BYTES, Utf8DecodeError, Utf8PieceReader } from './utf8-piece-reader.js';

/** A header's entries in file order, before the data layout is checked. */
export interface HeaderEntries {
  readonly tensors: Map<string, SafetensorsTensorInfo>;
  readonly metadata: Map<string, string>;
}

// Results of the scanning steps besides a position.
const NEED = NEED_MORE;
const GIVE_UP = -2;

// Where the scanner is in the root object.
const BEFORE_ROOT = 0;
const ROOT_FIRST = 1;
const ROOT_KEY = 2;
const AFTER_ROOT = 3;

/**
 * Scan the JSON header bytes (without the 8-byte prefix). Returns the entries, or `undefined`
 * when the precise parser must decide. `pieceBytes` (at least 4) is for tests of pieces
 * cut at every position.
 *
 * @example
 * const entries = scanSafetensorsHeader(bytes.subarray(8, 8 + headerLength));
 */
export function scanSafetensorsHeader(
  headerBytes: Uint8Array,
  pieceBytes = PIECE_BYTES,
): HeaderEntries | undefined {
  const reader = new Utf8PieceReader();
  reader.push(headerBytes);
  const scanner = new HeaderScanner();
  let size = pieceBytes;
  try {
    for (;;) {
      const piece = reader.read(size, true)!;
      const final = reader.pieceReachesEnd;
      const used = scanner.scan(piece, final);
      if (used === GIVE_UP) return undefined;
      if (final) return used === piece.length ? scanner.finish() : undefined;
      // An entry longer than a piece (a big metadata value): read it again from a piece
      // twice as long, so a long entry costs linear, not quadratic, time.
      size = used === 0 ? size * 2 : pieceBytes;
      reader.consume(piece, used);
    }
  } catch (error) {
    if (error instanceof Utf8DecodeError) return undefined;
    throw error;
  }
}

class HeaderScanner {
  private readonly tensors = new Map<string, SafetensorsTensorInfo>();
  private metadata: Map<string, string> | undefined;
  private state = BEFORE_ROOT;
  private readonly string = createStringScan();
  /** The last dtype seen: most headers use one or two, so comparing beats a lookup. */
  private lastDtype: Dtype = 'F32';
  // The entry being read; committed only once its ',' or '}' is seen, so that an entry cut
  // short by the end of a piece is read again from its start with nothing half-done.
  private info: SafetensorsTensorInfo | undefined;
  private entryMetadata: Map<string, string> | undefined;
  private closed = false;
  private readonly integers: number[] = [];

  finish(): HeaderEntries | undefined {
    if (this.state !== AFTER_ROOT) return undefined;
    return { tensors: this.tensors, metadata: this.metadata ?? new Map() };
  }

  /**
   * Scan whole entries of `text`; returns how many UTF-16 units were used (the rest starts an
   * entry the piece cut short), or GIVE_UP. With `final`, `text` is the end of the input.
   */
  scan(text: string, final: boolean): number {
    const length = text.length;
    let position = 0;
    for (;;) {
      position = skipWhitespace(text, position);
      if (position >= length) return position;
      const code = text.charCodeAt(position);
      if (this.state === ROOT_KEY) {
        const next = this.entry(text, position);
        if (next === NEED) return final ? GIVE_UP : position;
        if (next === GIVE_UP) return GIVE_UP;
        position = next;
        if (this.closed) this.state = AFTER_ROOT;
      } else if (this.state === BEFORE_ROOT) {
        if (code !== 0x7b) return GIVE_UP;
        position++;
        this.state = ROOT_FIRST;
      } else if (this.state === ROOT_FIRST) {
        if (code === 0x7d) {
          position++;
          this.state = AFTER_ROOT;
        } else this.state = ROOT_KEY;
      } else {
        return GIVE_UP; // text after the header object
      }
    }
  }

  /** One `"name": value` and the `,` or `}` after it; commits it. */
  private entry(text: string, start: number): number {
    const length = text.length;
    if (text.charCodeAt(start) !== 0x22) return GIVE_UP;
    let position = scanJsonString(text, start, false, this.string);
    if (position < 0) return position === NEED ? NEED : GIVE_UP;
    const name = this.string.value;
    position = skipWhitespace(text, position);
    if (position >= length) return NEED;
    if (text.charCodeAt(position) !== 0x3a) return GIVE_UP;
    position = skipWhitespace(text, position + 1);
    if (position >= length) return NEED;
    const isMetadata = name === '__metadata__';
    position = isMetadata ? this.metadataObject(text, position) : this.tensorEntry(text, position);
    if (position < 0) return position;
    position = skipWhitespace(text, position);
    if (position >= length) return NEED;
    const code = text.charCodeAt(position);
    if (code === 0x2c) this.closed = false;
    else if (code === 0x7d) this.closed = true;
    else return GIVE_UP;
    if (isMetadata) {
      if (this.metadata !== undefined) return GIVE_UP; // a second __metadata__
      this.metadata = this.entryMetadata;
    } else {
      const size = this.tensors.size;
      this.tensors.set(name, this.info!);
      if (this.tensors.size === size) return GIVE_UP; // a duplicate name
    }
    return position + 1;
  }

  /** `{"dtype": ..., "shape": [...], "data_offsets": [b, e]}` in any order, checked. */
  private tensorEntry(text: string, start: number): number {
    const length = text.length;
    if (text.charCodeAt(start) !== 0x7b) return GIVE_UP;
    let position = skipWhitespace(text, start + 1);
    let seen = 0;
    let dtype: Dtype = this.lastDtype;
    let shape: number[] = [];
    let elements = 1;
    let begin = 0;
    let end = 0;
    for (;;) {
      if (position >= length) return NEED;
      if (text.charCodeAt(position) !== 0x22) return GIVE_UP;
      // The key, without allocating it: only the three plain spellings are taken here.
      let close = position + 1;
      for (;;) {
        if (close >= length) return NEED;
        const code = text.charCodeAt(close);
        if (code === 0x22) break;
        if (code === 0x5c || code < 0x20) return GIVE_UP;
        close++;
      }
      const keyLength = close - position - 1;
      let field: number;
      if (keyLength === 5 && text.startsWith('dtype', position + 1)) field = 1;
      else if (keyLength === 5 && text.startsWith('shape', position + 1)) field = 2;
      else if (keyLength === 12 && text.startsWith('data_offsets', position + 1)) field = 4;
      else return GIVE_UP;
      if ((seen & field) !== 0) return GIVE_UP;
      seen |= field;
      position = skipWhitespace(text, close + 1);
      if (position >= length) return NEED;
      if (text.charCodeAt(position) !== 0x3a) return GIVE_UP;
      position = skipWhitespace(text, position + 1);
      if (position >= length) return NEED;
      const open = text.charCodeAt(position);
      if (field === 1) {
        if (open !== 0x22) return GIVE_UP;
        let quote = position + 1;
        for (;;) {
          if (quote >= length) return NEED;
          const code = text.charCodeAt(quote);
          if (code === 0x22) break;
          if (code === 0x5c || code < 0x20) return GIVE_UP;
          quote++;
        }
        const last = this.lastDtype;
        if (quote - position - 1 === last.length && text.startsWith(last, position + 1)) {
          dtype = last;
        } else {
          const found = text.slice(position + 1, quote);
          if (!isDtype(found)) return GIVE_UP;
          dtype = found;
          this.lastDtype = found;
        }
        position = quote + 1;
      } else {
        if (open !== 0x5b) return GIVE_UP;
        position = skipWhitespace(text, position + 1);
        if (position >= length) return NEED;
        // The integers go to a reused scratch array; only the shape gets an array of its own.
        const values = this.integers;
        let count = 0;
        if (text.charCodeAt(position) === 0x5d) {
          position++;
        } else {
          for (;;) {
            // A non-negative integer of at most 15 digits: exact as a double. Anything else
            // (a sign, a fraction, an exponent, more digits) goes to the precise parser.
            let code = text.charCodeAt(position);
            let value: number;
            if (code === 0x30) {
              value = 0;
              position++;
            } else if (code >= 0x31 && code <= 0x39) {
              value = code - 0x30;
              const limit = position + 15;
              position++;
              for (;;) {
                if (position >= length) return NEED;
                code = text.charCodeAt(position);
                if (code < 0x30 || code > 0x39) break;
                if (position >= limit) return GIVE_UP;
                value = value * 10 + (code - 0x30);
                position++;
              }
            } else {
              return position >= length ? NEED : GIVE_UP;
            }
            values[count++] = value;
            position = skipWhitespace(text, position);
            if (position >= length) return NEED;
            code = text.charCodeAt(position);
            if (code === 0x5d) {
              position++;
              break;
            }
            if (code !== 0x2c) return GIVE_UP;
            position = skipWhitespace(text, position + 1);
            if (position >= length) return NEED;
          }
        }
        if (field === 2) {
          shape = values.slice(0, count);
          elements = 1;
          for (let index = 0; index < count; index++) elements *= values[index]!;
        } else {
          if (count !== 2) return GIVE_UP;
          begin = values[0]!;
          end = values[1]!;
        }
      }
      position = skipWhitespace(text, position);
      if (position >= length) return NEED;
      const code = text.charCodeAt(position);
      if (code === 0x7d) {
        position++;
        break;
      }
      if (code !== 0x2c) return GIVE_UP;
      position = skipWhitespace(text, position + 1);
    }
    if (seen !== 7) return GIVE_UP;
    // Every dimension is below 2^53, so the double product is exact whenever it is at most
    // 2^53 - 1, and at least 2^53 (refused) otherwise.
    const byteLength = elements * dtypeSize(dtype);
    if (byteLength > Number.MAX_SAFE_INTEGER || end < begin || end - begin !== byteLength) {
      return GIVE_UP;
    }
    this.info = { dtype, shape, begin, end };
    return position;
  }

  /** `{"key": "value", ...}` with distinct keys. */
  private metadataObject(text: string, start: number): number {
    const length = text.length;
    if (text.charCodeAt(start) !== 0x7b) return GIVE_UP;
    const metadata = new Map<string, string>();
    let position = skipWhitespace(text, start + 1);
    if (position >= length) return NEED;
    if (text.charCodeAt(position) === 0x7d) {
      this.entryMetadata = metadata;
      return position + 1;
    }
    for (;;) {
      if (text.charCodeAt(position) !== 0x22) return GIVE_UP;
      position = scanJsonString(text, position, false, this.string);
      if (position < 0) return position === NEED ? NEED : GIVE_UP;
      const key = this.string.value;
      position = skipWhitespace(text, position);
      if (position >= length) return NEED;
      if (text.charCodeAt(position) !== 0x3a) return GIVE_UP;
      position = skipWhitespace(text, position + 1);
      if (position >= length) return NEED;
      if (text.charCodeAt(position) !== 0x22) return GIVE_UP;
      position = scanJsonString(text, position, false, this.string);
      if (position < 0) return position === NEED ? NEED : GIVE_UP;
      if (metadata.has(key)) return GIVE_UP;
      metadata.set(key, this.string.value);
      position = skipWhitespace(text, position);
      if (position >= length) return NEED;
      const code = text.charCodeAt(position);
      if (code === 0x7d) {
        this.entryMetadata = metadata;
        return position + 1;
      }
      if (code !== 0x2c) return GIVE_UP;
      position = skipWhitespace(text, position + 1);
      if (position >= length) return NEED;
    }
  }
}
