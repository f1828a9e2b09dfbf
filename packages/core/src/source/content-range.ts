/** A parsed `Content-Range: bytes <first>-<last>/<total>` header (or its unsatisfiable form, star slash total). */
export interface ContentRange {
  /** First byte of the range, or `undefined` for the unsatisfiable form (a star for the range). */
  first: number | undefined;
  /** Last byte of the range, inclusive. */
  last: number | undefined;
  /** The whole file's size, or `undefined` when the server wrote `*` (unknown). */
  total: number | undefined;
}

const PATTERN = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i;

/**
 * Parse an HTTP `Content-Range` value (RFC 9110, section 14.4). Returns `undefined` for a
 * missing or malformed value, or one whose numbers are out of order or too large to be exact.
 *
 * @example
 * parseContentRange('bytes 0-65535/10737418240'); // { first: 0, last: 65535, total: 10737418240 }
 */
export function parseContentRange(value: string | null): ContentRange | undefined {
  if (value === null) return undefined;
  const match = PATTERN.exec(value);
  if (match === null) return undefined;
  const number = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  const first = number(match[1]);
  const last = number(match[2]);
  const total = match[3] === '*' ? undefined : number(match[3]);
  for (const value of [first, last, total]) {
    if (value !== undefined && !Number.isSafeInteger(value)) return undefined;
  }
  if (first !== undefined && last !== undefined && last < first) return undefined;
  if (total !== undefined && last !== undefined && last >= total) return undefined;
  if (first === undefined && total === undefined) return undefined;
  return { first, last, total };
}
