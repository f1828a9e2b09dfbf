import type { ByteSource } from './byte-source.js';
import { ByteSourceError } from './byte-source-error.js';
import { checkReadRange } from './check-read-range.js';
import { type CoalescedRange, coalesceRanges } from './coalesce-ranges.js';
import { HttpRangeClient, type OpenedHttpFile } from './http-range-client.js';
import {
  type HttpSourceOptions,
  type ResolvedHttpSourceOptions,
  resolveHttpSourceOptions,
} from './http-source-options.js';
import { redactUrl } from './redact-url.js';
import { toHeaders } from './to-headers.js';

/** One read waiting for bytes from the network. */
interface PendingRead {
  /** Where the read starts in the file. */
  readonly offset: number;
  /** First byte still to come from the network (after what the probe already held). */
  readonly start: number;
  readonly end: number;
  readonly order: number;
  readonly target: Uint8Array;
  settled: boolean;
  /** Set while a request is fetching this read's bytes; told when the read is abandoned. */
  onAbandon: (() => void) | undefined;
  settle(result: { bytes: Uint8Array } | { error: unknown }): void;
}

/**
 * Open a file on an HTTP(S) server as a `ByteSource` that reads byte ranges on demand: the
 * way to inspect a 100 GB checkpoint on a CDN, an object store (a presigned S3 URL) or the
 * Hugging Face Hub without downloading it, in browsers and in Node.
 *
 * - Opening sends one request, `Range: bytes=0-63999`: its `Content-Range` gives the size and
 *   its bytes are kept, so reading a safetensors length prefix and a header of up to 64 kB
 *   right after costs no other request.
 * - Reads issued together (in the same tick, or waiting for a free connection) whose ranges
 *   overlap or lie at most `coalesceGapBytes` (32 KiB) apart share one request of at most
 *   `maxCoalescedBytes` (16 MiB; a longer single read is never split); at most `concurrency`
 *   (6) requests are in flight.
 * - 5xx, 429 (after its `Retry-After`), dropped connections and stalled bodies are retried
 *   `retries` (4) times with exponential backoff and jitter, resuming where the bytes stopped;
 *   other 4xx answers fail at once with `SOURCE_HTTP_STATUS` (`status` set).
 * - The first answer's ETag (strong) or Last-Modified date is sent as `If-Range` on every
 *   later request, and every answer is checked against it and against the size: a file
 *   replaced on the server gives `SOURCE_CHANGED`, never bytes of two versions. Without either
 *   validator only a change of size is caught (a warning says so).
 * - A server that ignores `Range` (200 with the whole file): a file up to
 *   `maxWholeBodyBytes` (16 MiB) is read whole with a warning, a larger one is refused with
 *   `SOURCE_RANGE_UNSUPPORTED`.
 * - `headers` (an `Authorization` token) go only to the URL's origin, never into `name`,
 *   errors or warnings; `name` is the URL with credentials and signatures masked.
 *
 * Close it when done: that aborts requests in flight.
 *
 * @example
 * const source = await httpSource('https://example.com/model.safetensors', {
 *   headers: { Authorization: `Bearer ${token}` },
 *   onProgress: ({ receivedBytes }) => bar.update(receivedBytes),
 * });
 * try {
 *   const prefix = await source.read(0, 8); // served from the opening request
 * } finally {
 *   await source.close();
 * }
 */
export async function httpSource(
  url: string | URL,
  options: HttpSourceOptions = {},
): Promise<ByteSource> {
  const target = parseHttpUrl(url, options.name);
  const name = options.name ?? target.name;
  const resolved = resolveHttpSourceOptions(options, name);
  const headers = toHeaders(options.headers, name);
  if (target.authorization !== undefined && !headers.has('authorization')) {
    headers.set('authorization', target.authorization);
  }
  // The source sets these per request.
  headers.delete('range');
  headers.delete('if-range');

  const lifetime = new AbortController();
  const outer = resolved.signal;
  const forward = () => lifetime.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });

  const client = new HttpRangeClient(target.href, name, headers, resolved);
  let opened: OpenedHttpFile;
  try {
    opened = await client.open(lifetime.signal);
  } catch (error) {
    outer?.removeEventListener('abort', forward);
    throw error;
  }
  if (!opened.whole && !opened.validated) {
    resolved.onWarning(
      `[reprokit] [source] ${name}: the server sends neither an ETag nor a Last-Modified date, so a file replaced by another of the same size while it is read cannot be detected.`,
    );
  }
  return createSource(client, opened, resolved, lifetime, () =>
    outer?.removeEventListener('abort', forward),
  );
}

function createSource(
  client: HttpRangeClient,
  opened: OpenedHttpFile,
  options: ResolvedHttpSourceOptions,
  lifetime: AbortController,
  unlink: () => void,
): ByteSource {
  const name = client.name;
  let prefix = opened.prefix;
  let closed = false;
  /** Set once a change of the file was seen: every later read fails the same way. */
  let stale: ByteSourceError | undefined;
  let nextOrder = 0;
  let incoming: PendingRead[] = [];
  /** Coalesced groups not yet sent, the next one last. */
  let waiting: CoalescedRange<PendingRead>[] = [];
  let active = 0;
  let drainQueued = false;

  const rejectAll = (error: unknown) => {
    for (const read of incoming) read.settle({ error });
    for (const group of waiting) for (const read of group.members) read.settle({ error });
    incoming = [];
    waiting = [];
  };

  const queueDrain = () => {
    if (drainQueued) return;
    drainQueued = true;
    // A microtask, not now: reads issued in the same synchronous run (a loop over tensors,
    // `Promise.all`) are all queued by then and can be merged.
    queueMicrotask(drain);
  };

  const drain = () => {
    drainQueued = false;
    if (closed || active >= options.concurrency) return;
    if (incoming.length > 0) {
      const live = [...waiting.flatMap((group) => group.members), ...incoming].filter(
        (read) => !read.settled,
      );
      incoming = [];
      waiting = coalesceRanges(live, {
        gapBytes: options.coalesceGapBytes,
        maxBytes: options.maxCoalescedBytes,
      }).reverse();
    }
    while (active < options.concurrency && waiting.length > 0) {
      const group = waiting.pop()!;
      const members = group.members.filter((read) => !read.settled);
      if (members.length > 0) {
        active++;
        void fetchGroup(members).finally(() => {
          active--;
          queueDrain();
        });
      }
    }
  };

  /** One request (with its retries) for reads sorted by `start`. */
  const fetchGroup = async (members: PendingRead[]) => {
    const start = members[0]!.start;
    let end = start;
    for (const read of members) end = Math.max(end, read.end);
    const controller = new AbortController();
    const forward = () => controller.abort(lifetime.signal.reason);
    lifetime.signal.addEventListener('abort', forward, { once: true });
    let live = members.length;
    for (const read of members) {
      read.onAbandon = () => {
        live--;
        // Nobody waits for these bytes any more.
        if (live === 0) controller.abort(new Error('every read of this request was abandoned'));
      };
    }
    // Members before `first` have all their bytes and are resolved.
    let first = 0;
    const sink = (position: number, chunk: Uint8Array) => {
      const chunkEnd = position + chunk.length;
      for (let index = first; index < members.length; index++) {
        const read = members[index]!;
        if (read.start >= chunkEnd) break;
        if (read.settled) continue;
        const from = Math.max(read.start, position);
        const to = Math.min(read.end, chunkEnd);
        if (from < to) {
          read.target.set(chunk.subarray(from - position, to - position), from - read.offset);
        }
      }
      // Resolve each read as soon as its last byte is in, not when the whole request ends.
      while (first < members.length) {
        const read = members[first]!;
        if (!read.settled && read.end > chunkEnd) break;
        read.settle({ bytes: read.target });
        first++;
      }
    };
    try {
      await client.readRange(start, end, sink, controller.signal);
      for (const read of members) read.settle({ bytes: read.target });
    } catch (error) {
      if (ByteSourceError.isInstance(error) && error.code === 'SOURCE_CHANGED') {
        stale ??= error;
        rejectAll(error);
      }
      for (const read of members) read.settle({ error });
    } finally {
      lifetime.signal.removeEventListener('abort', forward);
    }
  };

  const source: ByteSource = {
    name,
    size: opened.size,
    async read(offset, length, readOptions) {
      if (closed) {
        throw new ByteSourceError({
          code: 'SOURCE_CLOSED',
          message: 'the source was closed',
          file: name,
        });
      }
      checkReadRange(source, offset, length, readOptions);
      lifetime.signal.throwIfAborted();
      if (stale !== undefined) throw stale;
      const into = readOptions?.into;
      const end = offset + length;
      if (end <= prefix.length) {
        const view = prefix.subarray(offset, end);
        if (into === undefined) return view;
        into.set(view);
        return into;
      }
      const target = into ?? new Uint8Array(length);
      let start = offset;
      if (offset < prefix.length) {
        target.set(prefix.subarray(offset), 0);
        start = prefix.length;
      }
      const signal = readOptions?.signal;
      return await new Promise<Uint8Array>((resolve, reject) => {
        const onAbort = () => {
          read.settle({ error: signal?.reason });
        };
        const read: PendingRead = {
          offset,
          start,
          end,
          order: nextOrder++,
          target,
          settled: false,
          onAbandon: undefined,
          settle(result) {
            if (read.settled) return;
            read.settled = true;
            signal?.removeEventListener('abort', onAbort);
            if ('bytes' in result) resolve(result.bytes);
            else {
              reject(result.error);
              read.onAbandon?.();
            }
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        incoming.push(read);
        queueDrain();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = new ByteSourceError({
        code: 'SOURCE_CLOSED',
        message: 'the source was closed',
        file: name,
      });
      lifetime.abort(error);
      rejectAll(error);
      prefix = new Uint8Array(0);
      unlink();
    },
  };
  return source;
}

/** The URL to fetch, without user info (fetch refuses it), which becomes Basic auth instead. */
function parseHttpUrl(
  url: string | URL,
  name: string | undefined,
): { href: string; authorization: string | undefined; name: string } {
  let parsed: URL;
  try {
    // Relative URLs resolve against the page in a browser.
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    parsed = new URL(url, base);
  } catch {
    throw new ByteSourceError({
      code: 'SOURCE_INVALID',
      message: 'not a valid URL',
      file: name ?? redactUrl(url),
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ByteSourceError({
      code: 'SOURCE_INVALID',
      message: `httpSource reads http: and https: URLs, not ${parsed.protocol}`,
      file: name ?? redactUrl(parsed),
    });
  }
  // Named before the credentials move to a header, so the name shows that there were some.
  const redacted = redactUrl(parsed);
  let authorization: string | undefined;
  if (parsed.username !== '' || parsed.password !== '') {
    const user = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    let binary = '';
    for (const byte of new TextEncoder().encode(user)) binary += String.fromCharCode(byte);
    authorization = `Basic ${btoa(binary)}`;
    parsed.username = '';
    parsed.password = '';
  }
  parsed.hash = '';
  return { href: parsed.href, authorization, name: redacted };
}
