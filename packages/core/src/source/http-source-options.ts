import { ByteSourceError } from './byte-source-error.js';

/**
 * Any function that fetches like the global `fetch`: the browser's, Node's, undici's, a
 * test double, or one that adds signing. `httpSource` calls it with a URL string and a
 * `RequestInit` holding `method`, `headers`, `signal` and `redirect`.
 */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Extra request headers: a plain object, `[name, value]` pairs, or a `Headers`. */
export type HttpHeaders =
  | Readonly<Record<string, string>>
  | Iterable<readonly [string, string]>
  | Headers;

/** Passed to `onProgress` each time body bytes arrive. */
export interface HttpProgress {
  /** Body bytes this source has received so far, retried and coalescing-gap bytes included. */
  readonly receivedBytes: number;
  /** Bytes in the piece that just arrived. */
  readonly chunkBytes: number;
  /** HTTP requests this source has sent so far, redirects included. */
  readonly requests: number;
}

export interface HttpSourceOptions {
  /** The fetch to use; default the global `fetch`. */
  fetch?: FetchFunction;
  /**
   * Extra headers for every request to the URL's own origin, e.g. `Authorization`. They never
   * appear in `name`, errors or warnings, and are not sent after a redirect to another origin.
   */
  headers?: HttpHeaders;
  /** Retries per request after 5xx, 429, a dropped connection or a stalled body; default 4. */
  retries?: number;
  /** First backoff delay in milliseconds, doubled on each retry, with jitter; default 250. */
  retryDelay?: number;
  /** Longest wait between two tries, in milliseconds, `Retry-After` included; default 30 000. */
  maxRetryDelay?: number;
  /**
   * Milliseconds without a byte (headers or body) after which a request is abandoned and
   * retried; default 30 000. `0` waits forever.
   */
  timeout?: number;
  /** Most requests in flight at once; default 6 (what browsers allow per host). */
  concurrency?: number;
  /** Aborts opening and every read; reads then reject with the signal's reason. */
  signal?: AbortSignal;
  /** Called as body bytes arrive, for progress bars. Must not throw. */
  onProgress?: (progress: HttpProgress) => void;
  /** Where warnings go (a server that ignores Range, no validators); default `console.warn`. */
  onWarning?: (message: string) => void;
  /**
   * Bytes asked for by the opening request, kept to serve the first reads (a header) without
   * another request; default 64 000.
   */
  probeBytes?: number;
  /**
   * Largest file read whole when the server ignores `Range`; default 16 MiB. Larger files are
   * refused with `SOURCE_RANGE_UNSUPPORTED`.
   */
  maxWholeBodyBytes?: number;
  /** Reads at most this many bytes apart share a request; default 32 768. */
  coalesceGapBytes?: number;
  /** A request that serves merged reads stays at most this long; default 16 MiB. */
  maxCoalescedBytes?: number;
  /** The source's `name`; default the URL with credentials and signatures masked. */
  name?: string;
}

/** `HttpSourceOptions` with every default filled in. */
export interface ResolvedHttpSourceOptions {
  fetch: FetchFunction;
  retries: number;
  retryDelay: number;
  maxRetryDelay: number;
  timeout: number;
  concurrency: number;
  signal: AbortSignal | undefined;
  onProgress: ((progress: HttpProgress) => void) | undefined;
  onWarning: (message: string) => void;
  probeBytes: number;
  maxWholeBodyBytes: number;
  coalesceGapBytes: number;
  maxCoalescedBytes: number;
}

// 64 kB: one request then holds the 8-byte length and the whole header of most checkpoints
// (a header entry is about 100 bytes, so some 600 tensors), while reading one tensor of a
// large file wastes at most 64 kB. 64 000 rather than 65 536 so that the probe plus the
// answers' own HTTP headers (about 300 bytes each) stays within "header + 64 kB" in decimal
// units too, for any safetensors header of 600 bytes or more.
export const DEFAULT_PROBE_BYTES = 64_000;
export const DEFAULT_MAX_WHOLE_BODY_BYTES = 16 * 1024 * 1024;
// 32 KiB: below what one extra round trip costs on most links (at 100 Mbit/s and 20 ms RTT a
// round trip is worth about 250 KB), so merging across such a gap is cheaper than a request.
export const DEFAULT_COALESCE_GAP_BYTES = 32 * 1024;
// 16 MiB: large enough that request overhead is noise, small enough that merged reads do not
// wait on one long transfer while other connections idle.
export const DEFAULT_MAX_COALESCED_BYTES = 16 * 1024 * 1024;

export function resolveHttpSourceOptions(
  options: HttpSourceOptions,
  name: string,
): ResolvedHttpSourceOptions {
  const fetchFunction = options.fetch ?? (globalThis.fetch as FetchFunction | undefined);
  if (typeof fetchFunction !== 'function') {
    throw invalid(name, 'no fetch function: pass options.fetch where there is no global fetch');
  }
  const count = (key: keyof HttpSourceOptions, value: unknown, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
      throw invalid(name, `options.${key} must be a whole number >= ${min}, got ${String(value)}`);
    }
    return value;
  };
  return {
    // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of
    // another object.
    fetch: (url, init) => fetchFunction(url, init),
    retries: count('retries', options.retries, 4, 0),
    retryDelay: count('retryDelay', options.retryDelay, 250, 0),
    maxRetryDelay: count('maxRetryDelay', options.maxRetryDelay, 30_000, 0),
    timeout: count('timeout', options.timeout, 30_000, 0),
    concurrency: count('concurrency', options.concurrency, 6, 1),
    signal: options.signal,
    onProgress: options.onProgress,
    onWarning: options.onWarning ?? ((message) => console.warn(message)),
    probeBytes: count('probeBytes', options.probeBytes, DEFAULT_PROBE_BYTES, 1),
    maxWholeBodyBytes: count(
      'maxWholeBodyBytes',
      options.maxWholeBodyBytes,
      DEFAULT_MAX_WHOLE_BODY_BYTES,
      0,
    ),
    coalesceGapBytes: count(
      'coalesceGapBytes',
      options.coalesceGapBytes,
      DEFAULT_COALESCE_GAP_BYTES,
      0,
    ),
    maxCoalescedBytes: count(
      'maxCoalescedBytes',
      options.maxCoalescedBytes,
      DEFAULT_MAX_COALESCED_BYTES,
      1,
    ),
  };
}

function invalid(name: string, message: string): ByteSourceError {
  return new ByteSourceError({ code: 'SOURCE_INVALID', message, file: name });
}
