/*
 * JSON tokens read exactly as the precise parser (`header-json.ts`) reads them, but from a
 * buffer that may end before the token does: then the scanner asks for more input instead of
 * failing, so a streaming scanner can retry once the next piece has arrived.
 */

/** The buffer ended inside the token; call again with more text (or with `final`). */
export const NEED_MORE = -1;
/** The token is not valid JSON; `errorAt` and `message` say where and why. */
export const MALFORMED = -2;

/** Where `scanJsonString` puts what it read. */
export interface StringScan {
  value: string;
  errorAt: number;
  message: string;
}

export function createStringScan(): StringScan {
  return { value: '', errorAt: 0, message: '' };
}

/**
 * Read the string token that starts with the quote at `start`. Returns the index after its
 * closing quote (the decoded text in `out.value`), `NEED_MORE` when the buffer ends first and
 * more may come, or `MALFORMED` with `out.errorAt` (a UTF-16 index) and `out.message` set to
 * what the precise parser reports for the same text. With `final`, the buffer is the end of
 * the input, so a token cut short is malformed.
 *
 * @example
 * const out = createStringScan();
 * scanJsonString('"a\\u00e9"', 0, true, out); // 10, out.value === 'aé'
 */
export function scanJsonString(
  text: string,
  start: number,
  final: boolean,
  out: StringScan,
): number {
  const length = text.length;
  let position = start + 1;
  let chunkStart = position;
  let decoded = '';
  let escaped = false;
  for (;;) {
    if (position >= length) {
      return final ? malformed(out, 'unterminated string', start) : NEED_MORE;
    }
    const code = text.charCodeAt(position);
    if (code === 0x22) {
      out.value = escaped
        ? decoded + text.slice(chunkStart, position)
        : text.slice(start + 1, position);
      return position + 1;
    }
    if (code < 0x20) return malformed(out, 'control character in string', position);
    if (code !== 0x5c) {
      position++;
      continue;
    }
    if (position + 1 >= length && !final) return NEED_MORE;
    escaped = true;
    decoded += text.slice(chunkStart, position);
    const escapedCode = text.charCodeAt(position + 1);
    position += 2;
    switch (escapedCode) {
      case 0x22:
        decoded += '"';
        break;
      case 0x5c:
        decoded += '\\';
        break;
      case 0x2f:
        decoded += '/';
        break;
      case 0x62:
        decoded += '\b';
        break;
      case 0x66:
        decoded += '\f';
        break;
      case 0x6e:
        decoded += '\n';
        break;
      case 0x72:
        decoded += '\r';
        break;
      case 0x74:
        decoded += '\t';
        break;
      case 0x75: {
        if (position + 4 > length && !final) return NEED_MORE;
        const unit = hexUnit(text, position);
        if (unit < 0) return malformed(out, 'invalid \\u escape', position);
        position += 4;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // A high surrogate must be followed by an escaped low surrogate, as serde_json requires.
          if (position + 2 > length && !final) return NEED_MORE;
          if (text.charCodeAt(position) !== 0x5c || text.charCodeAt(position + 1) !== 0x75) {
            return malformed(out, 'lone surrogate in string escape', position);
          }
          position += 2;
          if (position + 4 > length && !final) return NEED_MORE;
          const low = hexUnit(text, position);
          if (low < 0) return malformed(out, 'invalid \\u escape', position);
          position += 4;
          if (low < 0xdc00 || low > 0xdfff) {
            return malformed(out, 'lone surrogate in string escape', position);
          }
          decoded += String.fromCharCode(unit, low);
        } else if (unit >= 0xdc00 && unit <= 0xdfff) {
          return malformed(out, 'lone surrogate in string escape', position);
        } else {
          decoded += String.fromCharCode(unit);
        }
        break;
      }
      default:
        return malformed(out, 'invalid escape in string', position - 2);
    }
    chunkStart = position;
  }
}

function malformed(out: StringScan, message: string, at: number): number {
  out.message = message;
  out.errorAt = at;
  return MALFORMED;
}

/** The four hex digits at `at` as a number, or -1. */
function hexUnit(text: string, at: number): number {
  let unit = 0;
  for (let index = at; index < at + 4; index++) {
    const code = text.charCodeAt(index);
    let digit: number;
    if (code >= 0x30 && code <= 0x39) digit = code - 0x30;
    else if (code >= 0x41 && code <= 0x46) digit = code - 0x37;
    else if (code >= 0x61 && code <= 0x66) digit = code - 0x57;
    else return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/** The index of the first character at or after `start` that is not JSON whitespace. */
export function skipWhitespace(text: string, start: number): number {
  let position = start;
  const length = text.length;
  while (position < length) {
    const code = text.charCodeAt(position);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) position++;
    else break;
  }
  return position;
}
