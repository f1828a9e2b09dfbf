import { blobSource } from './blob-source.js';
import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { bytesSource } from './bytes-source.js';
import { httpSource } from './http-source.js';
import type { HttpSourceOptions } from './http-source-options.js';
import { responseSource } from './response-source.js';

/**
 * Everything a reader of one file accepts: bytes in memory, a `Blob` or `File`, any `ByteSource`
 * (a local file from `fileSource` in `@reprokit/core/node`), or an `http:`/`https:` URL (a `URL`
 * or a string), read by byte ranges on demand (`httpSource`), or a fetch `Response`, whose body
 * is read whole (`responseSource`). In Node, functions of `@reprokit/core/node` also take a path.
 */
export type SourceInput = ByteSource | Blob | Uint8Array | URL | string | Response;

/** Whether `input` names a file on an HTTP(S) server. */
export function isHttpUrl(input: unknown): boolean {
  if (input instanceof URL) return input.protocol === 'http:' || input.protocol === 'https:';
  return typeof input === 'string' && /^https?:\/\//i.test(input);
}

/** Whether `value` is a `ByteSource` rather than bytes or a Blob. */
export function isByteSource(value: unknown): value is ByteSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ByteSource).read === 'function' &&
    typeof (value as ByteSource).size === 'number' &&
    typeof (value as ByteSource).name === 'string'
  );
}

/**
 * A `ByteSource` for any `SourceInput`: a `ByteSource` as it is, bytes through `bytesSource`, a
 * Blob through `blobSource`, a URL through `httpSource` (with `http` as its options), a
 * `Response` through `responseSource`. Anything else is refused with `SOURCE_INVALID`, with a hint when it
 * is a path (paths are read by `@reprokit/core/node`).
 *
 * @example
 * const source = await openByteSource(file); // a File from a drop event
 */
export async function openByteSource(
  input: SourceInput,
  name?: string,
  http: HttpSourceOptions = {},
): Promise<ByteSource> {
  if (isByteSource(input)) return input;
  if (isHttpUrl(input)) return httpSource(input as URL | string, http);
  if (input instanceof Uint8Array) return bytesSource(input, name);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobSource(input, name);
  if (typeof Response !== 'undefined' && input instanceof Response) {
    return responseSource(input, name);
  }
  const hint =
    typeof input === 'string'
      ? `: a string that is not an http(s) URL is read as a file path only by the functions of @reprokit/core/node (${JSON.stringify(input)})`
      : '';
  throw new ByteSourceError({
    code: 'SOURCE_INVALID',
    message: `expected bytes (Uint8Array), a Blob or File, a Response, a URL or a ByteSource${hint}`,
    file: name ?? (typeof input === 'string' ? input : '<input>'),
  });
}
