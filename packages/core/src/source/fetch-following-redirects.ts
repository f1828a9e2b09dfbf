import { ByteSourceError } from './byte-source-error.js';
import type { FetchFunction } from './http-source-options.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// What fetch itself allows (Fetch standard, "HTTP-redirect fetch").
const MAX_REDIRECTS = 20;

/** How redirects are followed; starts `manual` and becomes `follow` where `manual` is opaque. */
export interface RedirectMode {
  mode: 'manual' | 'follow';
}

export interface FollowRedirectsRequest {
  readonly fetch: FetchFunction;
  readonly url: string;
  /** Origin whose requests get `userHeaders`. */
  readonly trustedOrigin: string;
  /** The caller's headers (credentials): sent only to `trustedOrigin`. */
  readonly userHeaders: Headers;
  /** Headers every hop carries: Range, If-Range. */
  readonly hopHeaders: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly redirect: RedirectMode;
  /** The source's name, for errors. */
  readonly name: string;
  /** Called before each request is sent (redirect hops included). */
  readonly onRequest: () => void;
}

/**
 * GET `url`, following redirects by hand so that the caller's headers (an `Authorization`
 * token) go only to the URL's own origin while `Range` and `If-Range` go to every hop: the
 * Hugging Face Hub answers a file request with a redirect to a CDN on another origin, whose
 * URL carries its own signature. Node's fetch drops `Authorization` on a cross-origin
 * redirect but keeps every other header; a fetch that predates that rule keeps them all.
 *
 * Browsers answer `redirect: 'manual'` with an opaque response whose target cannot be read:
 * then this switches `redirect.mode` to `follow` for good and lets the browser follow, which
 * drops `Authorization` on a cross-origin hop as the Fetch standard requires.
 *
 * Resolves with the final answer and its URL.
 */
export async function fetchFollowingRedirects(
  request: FollowRedirectsRequest,
): Promise<{ response: Response; url: string }> {
  let current = request.url;
  for (let hops = 0; ; ) {
    const headers = new Headers();
    if (new URL(current).origin === request.trustedOrigin) {
      request.userHeaders.forEach((value, key) => {
        headers.set(key, value);
      });
    }
    for (const [key, value] of Object.entries(request.hopHeaders)) headers.set(key, value);
    request.onRequest();
    const mode = request.redirect.mode;
    const response = await request.fetch(current, {
      method: 'GET',
      headers,
      signal: request.signal,
      redirect: mode,
    });
    if (mode === 'manual' && response.type === 'opaqueredirect') {
      request.redirect.mode = 'follow';
      continue;
    }
    if (mode === 'follow') {
      const url = response.redirected && response.url !== '' ? response.url : current;
      return { response, url };
    }
    const location = REDIRECT_STATUSES.has(response.status)
      ? response.headers.get('location')
      : null;
    if (location === null) return { response, url: current };
    response.body?.cancel().catch(() => undefined);
    hops++;
    if (hops > MAX_REDIRECTS) {
      throw new ByteSourceError({
        code: 'SOURCE_HTTP_STATUS',
        message: `more than ${MAX_REDIRECTS} redirects`,
        file: request.name,
        status: response.status,
      });
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      next = new URL('invalid:');
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new ByteSourceError({
        code: 'SOURCE_HTTP_STATUS',
        message: `the server redirected (${response.status}) to something that is not an HTTP URL`,
        file: request.name,
        status: response.status,
      });
    }
    current = next.href;
  }
}
