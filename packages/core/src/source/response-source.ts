import { blobSource } from './blob-source.js';
import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { redactUrl } from './redact-url.js';

/**
 * A `ByteSource` over a fetch `Response` you already have (from `fetch`, a service worker's
 * cache, `new Response(stream)`). A response body is a stream, read once and from the start,
 * so its body is read whole (as a Blob, which the browser may keep on disk) and ranges are
 * then served from it. For a large file on a server that serves ranges, pass the URL instead
 * (`httpSource`), which reads only what is asked for. An error status is `SOURCE_HTTP_STATUS`,
 * a body already read `SOURCE_INVALID`; the source is named by the response's URL
 * (credentials masked) unless `name` is given.
 *
 * @example
 * const source = await responseSource(await caches.match('model.safetensors'));
 */
export async function responseSource(response: Response, name?: string): Promise<ByteSource> {
  const label = name ?? (response.url === '' ? '<response>' : redactUrl(response.url));
  if (!response.ok) {
    throw new ByteSourceError({
      code: 'SOURCE_HTTP_STATUS',
      message: `the response has status ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}, not the file`,
      file: label,
      status: response.status,
    });
  }
  if (response.bodyUsed) {
    throw new ByteSourceError({
      code: 'SOURCE_INVALID',
      message: 'the response body was already read; pass a fresh Response (or response.clone())',
      file: label,
    });
  }
  return blobSource(await response.blob(), label);
}
