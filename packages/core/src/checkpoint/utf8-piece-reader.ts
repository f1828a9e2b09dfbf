/*
 * Strict UTF-8 decoding in small pieces, for the JSON scanners. They read their input as
 * strings of at most 64 KiB rather than one big string: TextDecoder makes a 64 KiB string
 * about 15x faster per byte than a 13 MB one (V8 allocates large strings in a slower space),
 * and a stream never needs its whole text in memory. Every piece ends on a character
 * boundary. A scanner says how much of a piece it used; the rest is decoded again at the
 * start of the next piece, so a token cut by a piece boundary is read whole next time from a
 * fresh flat string, never from a concatenation.
 */

/** Bytes per piece: small enough for V8's fast string allocation. */
export const PIECE_BYTES = 64 * 1024;

/** Thrown when the input is not UTF-8; `byteOffset` is the first byte that is not. */
export class Utf8DecodeError extends Error {
  constructor(readonly byteOffset: number) {
    super(`invalid UTF-8 at byte ${byteOffset}`);
  }
}

/**
 * Bytes pushed in chunks of any size, read back as decoded pieces. Strict: a byte order mark
 * is kept as U+FEFF and any invalid sequence throws `Utf8DecodeError`.
 *
 * @example
 * const reader = new Utf8PieceReader();
 * reader.push(bytes);
 * const text = reader.read(PIECE_BYTES, true); // then reader.consume(...)
 */
export class Utf8PieceReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /** Unread bytes: `segments[0]` from `head` on, then the other segments whole. */
  private segments: Uint8Array[] = [];
  private head = 0;
  /** Number of unread bytes. */
  available = 0;
  /** Offset in the input of the first unread byte. */
  byteOffset = 0;
  /** Bytes and ASCII-ness of the piece `read` returned last. */
  private pieceBytes = 0;
  private pieceIsAscii = true;
  /** Whether the piece `read` returned last holds every byte pushed so far. */
  pieceReachesEnd = false;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.segments.push(chunk);
    this.available += chunk.length;
  }

  /**
   * The next piece: about `size` bytes (at least 4) from the first unread one, ending on a
   * character boundary. `undefined` when fewer than `size` bytes are available and more may
   * come (`final` false). With `final` (nothing more will be pushed) up to the rest of the
   * input; `''` at its end.
   */
  read(size: number, final: boolean): string | undefined {
    if (this.available < size && !final) return undefined;
    let take = Math.min(size, this.available);
    let bytes = this.gather(take);
    if (take < this.available || !final) {
      // Never split a character (at the very end a cut one is an error, left to the decoder).
      take = completeEnd(bytes, take);
      if (take === 0) return undefined;
      bytes = bytes.subarray(0, take);
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      throw new Utf8DecodeError(this.byteOffset + firstInvalidUtf8(bytes));
    }
    this.pieceBytes = take;
    this.pieceIsAscii = text.length === take;
    this.pieceReachesEnd = take === this.available;
    return text;
  }

  /** Mark the first `chars` UTF-16 units of the last piece as used. */
  consume(piece: string, chars: number): void {
    const bytes =
      chars === piece.length
        ? this.pieceBytes
        : this.pieceIsAscii
          ? chars
          : utf8Length(piece, 0, chars);
    this.skip(bytes);
  }

  /** Byte offset in the input of UTF-16 index `chars` of the last piece. */
  offsetIn(piece: string, chars: number): number {
    return this.byteOffset + (this.pieceIsAscii ? chars : utf8Length(piece, 0, chars));
  }

  /** The first `count` unread bytes, copied only when they span segments. */
  private gather(count: number): Uint8Array {
    const first = this.segments[0];
    if (first === undefined) return new Uint8Array(0);
    if (first.length - this.head >= count) return first.subarray(this.head, this.head + count);
    const out = new Uint8Array(count);
    let filled = 0;
    for (let index = 0; filled < count; index++) {
      const segment = this.segments[index]!;
      const from = index === 0 ? this.head : 0;
      const part = Math.min(segment.length - from, count - filled);
      out.set(segment.subarray(from, from + part), filled);
      filled += part;
    }
    return out;
  }

  private skip(count: number): void {
    this.available -= count;
    this.byteOffset += count;
    let left = count;
    while (left > 0) {
      const first = this.segments[0]!;
      const rest = first.length - this.head;
      if (left < rest) {
        this.head += left;
        return;
      }
      left -= rest;
      this.segments.shift();
      this.head = 0;
    }
    if (this.segments[0]?.length === this.head) {
      this.segments.shift();
      this.head = 0;
    }
  }
}

/** How many bytes the sequence that `lead` starts has (1 for ASCII and for invalid bytes). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/**
 * `end`, or less when `bytes[0, end)` ends with the first bytes of a multi-byte character
 * that is not complete before `end`: then where that character starts.
 */
function completeEnd(bytes: Uint8Array, end: number): number {
  const stop = Math.max(0, end - 3);
  for (let index = end - 1; index >= stop; index--) {
    const byte = bytes[index]!;
    if (byte < 0x80) return end;
    if (byte >= 0xc0) return index + sequenceLength(byte) > end ? index : end;
  }
  return end;
}

/** Number of UTF-8 bytes of `text[from, to)` (the text is well formed: no lone surrogates). */
export function utf8Length(text: string, from: number, to: number): number {
  let bytes = 0;
  const stop = Math.min(to, text.length);
  for (let index = from; index < stop; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < stop) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/** Index of the first byte that does not start a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    let length: number;
    let min: number;
    if (byte < 0x80) {
      index++;
      continue;
    }
    if (byte >= 0xc2 && byte <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (byte >= 0xe0 && byte <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return index;
    }
    if (index + length > bytes.length) return index;
    let codePoint = byte & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[index + k]!;
      if ((next & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      return index;
    }
    index += length;
  }
  return bytes.length;
}
