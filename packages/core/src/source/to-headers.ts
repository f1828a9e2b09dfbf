import { ByteSourceError } from './byte-source-error.js';
import type { HttpHeaders } from './http-source-options.js';

/**
 * Copy request headers given in any of the forms fetch accepts into a new `Headers`. A bad
 * name or value gives `SOURCE_INVALID` naming the header, never quoting its value (fetch's
 * own message does, and the value may be a token).
 */
export function toHeaders(headers: HttpHeaders | undefined, name: string): Headers {
  const result = new Headers();
  if (headers === undefined) return result;
  const entries: Array<readonly [string, string]> = [];
  if (headers instanceof Headers) {
    headers.forEach((value, key) => {
      entries.push([key, value]);
    });
  } else if (Symbol.iterator in headers)
    entries.push(...(headers as Iterable<readonly [string, string]>));
  else entries.push(...Object.entries(headers as Record<string, string>));
  for (const [key, value] of entries) {
    try {
      result.append(key, value);
    } catch {
      // Neither the value nor fetch's message (which quotes the value) goes into the error:
      // the value may be a token.
      throw new ByteSourceError({
        code: 'SOURCE_INVALID',
        message: `options.headers: header ${JSON.stringify(String(key))} has an invalid name or value`,
        file: name,
      });
    }
  }
  return result;
}
