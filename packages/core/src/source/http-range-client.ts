import { ByteSourceError, type ByteSourceErrorOptions } from './byte-source-error.js';
import { parseContentRange } from './content-range.js';
import { fetchFollowingRedirects, type RedirectMode } from './fetch-following-redirects.js';
import type { ResolvedHttpSourceOptions } from './http-source-options.js';
import {
  type HttpValidator,
  hasValidator,
  ifRangeValue,
  readValidator,
  validatorChange,
} from './http-validator.js';
import { redactUrl } from './redact-url.js';
import { backoffDelay, parseRetryAfter } from './retry-delay.js';

/** What the opening request learnt. */
export interface OpenedHttpFile {
  readonly size: number;
  /** The first bytes of the file (the probe), or the whole file when `whole`. */
  readonly prefix: Uint8Array;
  /** The whole file is in `prefix` (it fit the probe, or the server ignored Range). */
  readonly whole: boolean;
  /** The server sent an ETag or a Last-Modified date that later requests are checked against. */
  readonly validated: boolean;
}

/** Receives body bytes: `chunk` holds the file's bytes from `position` on. */
export type RangeSink = (position: number, chunk: Uint8Array) => void;

// Statuses worth another try: the server or a proxy in front of it is overloaded or
// restarting. Every other 4xx is the request's fault and fails at once.
const RETRIED_STATUSES = new Set([429, 500, 502, 503, 504]);
// A presigned CDN URL reached through a redirect expires; these answers from it mean "ask the
// original URL again", not "the file is gone".
const EXPIRED_REDIRECT_STATUSES = new Set([401, 403, 404, 410]);

/** A failure worth another try: a dropped connection, a stalled body, a 5xx, a 429. */
class TransientFailure {
  constructor(
    readonly cause: unknown,
    readonly retryAfter: number | undefined = undefined,
    readonly immediate = false,
  ) {}
}

/**
 * The server answered `If-Range` with the whole file although the file carries the validator
 * the source opened with: it judges that validator too weak to serve a range by. Asked again at
 * once without `If-Range`; not a failure.
 */
class IfRangeDeclined {}

/** Aborts a request after `timeout` milliseconds without a byte. */
class IdleTimeoutError extends Error {}

interface RequestScope {
  readonly signal: AbortSignal;
  /** A byte arrived: restart the idle timer. */
  touch(): void;
  end(): void;
}

const statusText = (response: Response) =>
  `${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;

const discard = (response: Response) => {
  response.body?.cancel().catch(() => undefined);
};

/**
 * The HTTP side of `httpSource`: the opening request, range requests with retries, redirects,
 * `If-Range` and the checks that every answer belongs to the version of the file that was
 * opened. One instance per source; `httpSource` adds coalescing and the concurrency limit.
 */
export class HttpRangeClient {
  private readonly origin: string;
  /** Where reads go: the URL the opening request's redirects ended at. */
  private readUrl: string;
  private validator: HttpValidator = { etag: undefined, lastModified: undefined };
  private size = 0;
  private readonly redirect: RedirectMode = { mode: 'manual' };
  private requests = 0;
  private receivedBytes = 0;
  /** The server declined `If-Range` once: later requests go without it (see `rangeOnce`). */
  private ifRangeDeclined = false;

  constructor(
    private readonly url: string,
    readonly name: string,
    private readonly headers: Headers,
    private readonly options: ResolvedHttpSourceOptions,
  ) {
    this.origin = new URL(url).origin;
    this.readUrl = url;
  }

  /** Send the opening request (`Range: bytes=0-<probe - 1>`), with retries. */
  async open(signal: AbortSignal): Promise<OpenedHttpFile> {
    for (let failures = 1; ; failures++) {
      try {
        return await this.openOnce(signal);
      } catch (error) {
        await this.recover(error, failures, signal, 0);
      }
    }
  }

  /**
   * Read `[start, end)` into `sink`, in order, with retries. A retry after a dropped
   * connection asks only for the bytes not yet received; `If-Range` makes sure they come from
   * the same version of the file.
   */
  async readRange(start: number, end: number, sink: RangeSink, signal: AbortSignal): Promise<void> {
    const cursor = { position: start };
    for (let failures = 0; cursor.position < end; ) {
      try {
        await this.rangeOnce(cursor, end, sink, signal);
      } catch (error) {
        if (error instanceof IfRangeDeclined) continue;
        failures++;
        await this.recover(error, failures, signal, cursor.position);
      }
    }
  }

  private async openOnce(signal: AbortSignal): Promise<OpenedHttpFile> {
    const scope = this.scope(signal);
    try {
      const { response, url } = await this.send(
        this.url,
        { range: `bytes=0-${this.options.probeBytes - 1}` },
        scope.signal,
      );
      scope.touch();
      const validator = readValidator(response.headers);
      if (response.status === 206) {
        const range = parseContentRange(response.headers.get('content-range'));
        if (
          range === undefined ||
          range.first !== 0 ||
          range.last === undefined ||
          range.last >= this.options.probeBytes
        ) {
          discard(response);
          throw this.error({
            code: 'SOURCE_LENGTH_MISMATCH',
            message: `the server answered 206 to bytes=0-${this.options.probeBytes - 1} with Content-Range ${JSON.stringify(response.headers.get('content-range'))}`,
            status: 206,
          });
        }
        if (range.total === undefined) {
          discard(response);
          throw this.error({
            code: 'SOURCE_RANGE_UNSUPPORTED',
            message:
              'the server serves ranges but does not tell the file size (Content-Range total "*")',
            status: 206,
          });
        }
        this.checkPlainBody(response, 0, range.last + 1);
        const prefix = new Uint8Array(range.last + 1);
        let filled = 0;
        await this.pump(response, scope, prefix.length, (chunk) => {
          prefix.set(chunk, filled);
          filled += chunk.length;
        });
        this.size = range.total;
        this.validator = validator;
        this.readUrl = url;
        return {
          size: range.total,
          prefix,
          whole: prefix.length === range.total,
          validated: hasValidator(validator),
        };
      }
      if (response.status === 200) return await this.openWhole(response, url, scope);
      if (response.status === 416) {
        // An empty file: nothing satisfies bytes=0-..., the server says `bytes */0`.
        discard(response);
        const range = parseContentRange(response.headers.get('content-range'));
        if (range?.total === 0) {
          this.validator = validator;
          this.readUrl = url;
          return { size: 0, prefix: new Uint8Array(0), whole: true, validated: false };
        }
        if (range?.total === undefined) {
          // A 416 that does not say the size (http-server does so for an empty file): ask for
          // the file without Range, read whole within maxWholeBodyBytes.
          const plain = await this.send(url, {}, scope.signal);
          scope.touch();
          if (plain.response.status === 200) {
            return await this.openWhole(plain.response, plain.url, scope);
          }
          throw this.statusFailure(plain.response, plain.url);
        }
        throw this.error({
          code: 'SOURCE_RANGE_UNSUPPORTED',
          message: `the server answered 416 to bytes=0-${this.options.probeBytes - 1} for a file of ${range.total} bytes`,
          status: 416,
        });
      }
      throw this.statusFailure(response, url);
    } finally {
      scope.end();
    }
  }

  /** The opening request's answer is the whole file (200): read it if small enough. */
  private async openWhole(
    response: Response,
    url: string,
    scope: RequestScope,
  ): Promise<OpenedHttpFile> {
    const validator = readValidator(response.headers);
    const whole = await this.readWholeBody(response, scope);
    this.size = whole.length;
    this.validator = validator;
    this.readUrl = url;
    if (whole.length > this.options.probeBytes) {
      this.options.onWarning(
        `[reprokit] [source] ${this.name}: the server ignored the Range header and sent the whole file (${whole.length} bytes); it was read into memory. Serve the file from a server that supports range requests to read it lazily.`,
      );
    }
    return { size: whole.length, prefix: whole, whole: true, validated: hasValidator(validator) };
  }

  private async rangeOnce(
    cursor: { position: number },
    end: number,
    sink: RangeSink,
    signal: AbortSignal,
  ): Promise<void> {
    const scope = this.scope(signal);
    try {
      const hopHeaders: Record<string, string> = { range: `bytes=${cursor.position}-${end - 1}` };
      const ifRange = this.ifRangeDeclined ? undefined : ifRangeValue(this.validator);
      if (ifRange !== undefined) hopHeaders['if-range'] = ifRange;
      const usedUrl = this.readUrl;
      const { response, url: answeredBy } = await this.send(usedUrl, hopHeaders, scope.signal);
      scope.touch();
      const answer = readValidator(response.headers);
      if (response.status === 206) {
        const change = validatorChange(this.validator, answer);
        if (change !== undefined) {
          discard(response);
          throw this.changed(change, cursor.position, 206);
        }
        if (this.ifRangeDeclined && !hasValidator(answer) && hasValidator(this.validator)) {
          // Without If-Range, the answer's own validator is the only proof of its version.
          discard(response);
          throw this.error({
            code: 'SOURCE_RANGE_UNSUPPORTED',
            message: `the server declines If-Range and its answer to bytes ${cursor.position}-${end - 1} carries no ETag or Last-Modified date, so its version cannot be checked`,
            byteOffset: cursor.position,
            status: 206,
          });
        }
        const range = parseContentRange(response.headers.get('content-range'));
        if (range?.total !== undefined && range.total !== this.size) {
          discard(response);
          throw this.changed(
            `its size changed from ${this.size} to ${range.total} bytes`,
            cursor.position,
            206,
          );
        }
        if (
          range === undefined ||
          range.first !== cursor.position ||
          range.last === undefined ||
          range.last >= end
        ) {
          discard(response);
          throw this.error({
            code: 'SOURCE_LENGTH_MISMATCH',
            message: `asked for bytes ${cursor.position}-${end - 1}, the server answered with Content-Range ${JSON.stringify(response.headers.get('content-range'))}`,
            byteOffset: cursor.position,
            status: 206,
          });
        }
        // A server may send less than asked (some CDNs cap a range): take it and ask again
        // for the rest, which is not a failure.
        const length = range.last + 1 - range.first;
        this.checkPlainBody(response, cursor.position, length);
        // After going through the original URL again, its new redirect target serves next.
        this.readUrl = answeredBy;
        await this.pump(response, scope, length, (chunk) => {
          sink(cursor.position, chunk);
          cursor.position += chunk.length;
        });
        return;
      }
      if (response.status === 200) {
        discard(response);
        const change = validatorChange(this.validator, answer);
        if (change !== undefined) throw this.changed(change, cursor.position, 200);
        const length = response.headers.get('content-length');
        if (length !== null && response.headers.get('content-encoding') === null) {
          if (Number(length) !== this.size) {
            throw this.changed(
              `its size changed from ${this.size} to ${length} bytes`,
              cursor.position,
              200,
            );
          }
        }
        if (ifRange !== undefined && !hasValidator(answer)) {
          // If-Range was sent and the whole file came back: by RFC 9110 the validator no
          // longer matches, and this answer carries none to prove otherwise.
          throw this.changed(
            'the server answered If-Range with the whole file (200), so its version changed',
            cursor.position,
            200,
          );
        }
        if (ifRange !== undefined) {
          // Same validator, yet no range: the server judges the validator too weak for
          // If-Range. Apache does so for a file modified less than a second before its answer
          // (a weak ETag, and a Last-Modified date that RFC 9110 section 13.1.5 does not count
          // as strong). Ask again without If-Range; every 206 is still checked against the
          // validator and the size above, so bytes of another version are still refused.
          this.ifRangeDeclined = true;
          throw new IfRangeDeclined();
        }
        // Same version, whole file: this server (or one node behind a load balancer, or a CDN
        // that had not cached the file yet) ignored Range this time. Worth another try.
        throw new TransientFailure(
          this.error({
            code: 'SOURCE_RANGE_UNSUPPORTED',
            message: `the server ignored Range (200 with the whole file) for bytes ${cursor.position}-${end - 1}`,
            byteOffset: cursor.position,
            status: 200,
          }),
        );
      }
      if (response.status === 416) {
        discard(response);
        const total = parseContentRange(response.headers.get('content-range'))?.total;
        throw this.changed(
          `the server cannot serve bytes ${cursor.position}-${end - 1} any more (416${total === undefined ? '' : `, size now ${total}`})`,
          cursor.position,
          416,
        );
      }
      if (usedUrl !== this.url && EXPIRED_REDIRECT_STATUSES.has(response.status)) {
        // The redirect target (a signed CDN URL) expired: go through the original URL again.
        discard(response);
        this.readUrl = this.url;
        throw new TransientFailure(
          this.statusError(response, answeredBy, cursor.position),
          undefined,
          true,
        );
      }
      throw this.statusFailure(response, answeredBy, cursor.position);
    } finally {
      scope.end();
    }
  }

  private async send(
    url: string,
    hopHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<{ response: Response; url: string }> {
    // Ranges of compressed bodies are ranges of the compressed bytes: ask for the file as is.
    // (Browsers set this themselves for Range requests and ignore it here.)
    return await fetchFollowingRedirects({
      fetch: this.options.fetch,
      url,
      trustedOrigin: this.origin,
      userHeaders: this.headers,
      hopHeaders: { ...hopHeaders, 'accept-encoding': 'identity' },
      signal,
      redirect: this.redirect,
      name: this.name,
      onRequest: () => {
        this.requests++;
      },
    });
  }

  /** Reject answers whose body would not be the plain bytes of the range. */
  private checkPlainBody(response: Response, first: number, expected: number): void {
    const range = `bytes ${first}-${first + expected - 1}`;
    const encoding = response.headers.get('content-encoding');
    if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') {
      discard(response);
      throw this.error({
        code: 'SOURCE_RANGE_UNSUPPORTED',
        message: `the server sent ${range} with Content-Encoding ${JSON.stringify(encoding)} although identity was asked for`,
        byteOffset: first,
        status: response.status,
      });
    }
    const length = response.headers.get('content-length');
    if (length !== null && Number(length) !== expected) {
      discard(response);
      throw this.error({
        code: 'SOURCE_LENGTH_MISMATCH',
        message: `Content-Length is ${length} but ${range} hold ${expected} bytes`,
        byteOffset: first,
        status: response.status,
      });
    }
  }

  /**
   * Stream exactly `expected` body bytes into `onChunk`, which must copy what it keeps: a chunk
   * is only valid until `onChunk` returns (its buffer may be reused for the next one).
   */
  private async pump(
    response: Response,
    scope: RequestScope,
    expected: number,
    onChunk: (chunk: Uint8Array) => void,
  ): Promise<void> {
    const body = response.body;
    let received = 0;
    if (body !== null) {
      const reader = bodyChunks(body);
      try {
        for (;;) {
          const value = await reader.next();
          if (value === undefined) break;
          scope.touch();
          if (received + value.length > expected) {
            throw this.error({
              code: 'SOURCE_LENGTH_MISMATCH',
              message: `the body is longer than the ${expected} bytes of the range`,
              status: response.status,
            });
          }
          onChunk(value);
          received += value.length;
          this.progress(value.length);
        }
      } catch (error) {
        reader.cancel().catch(() => undefined);
        throw error;
      }
    }
    if (received !== expected) {
      throw this.error({
        code: 'SOURCE_LENGTH_MISMATCH',
        message: `the body ended after ${received} of the range's ${expected} bytes`,
        status: response.status,
      });
    }
  }

  /** The answer to the opening request was the whole file (200): read it if small enough. */
  private async readWholeBody(response: Response, scope: RequestScope): Promise<Uint8Array> {
    const limit = this.options.maxWholeBodyBytes;
    const encoded = response.headers.get('content-encoding');
    const lengthHeader = response.headers.get('content-length');
    // With a Content-Encoding, Content-Length counts the encoded bytes, not the file's.
    const declared =
      lengthHeader !== null && (encoded === null || encoded.trim().toLowerCase() === 'identity')
        ? Number(lengthHeader)
        : undefined;
    const refuse = (size: string) => {
      discard(response);
      return this.error({
        code: 'SOURCE_RANGE_UNSUPPORTED',
        message: `the server ignores Range requests and the file is ${size}, more than maxWholeBodyBytes (${limit}) to read whole`,
        status: 200,
      });
    };
    if (declared !== undefined && declared > limit) throw refuse(`${declared} bytes`);
    if (declared !== undefined) {
      const bytes = new Uint8Array(declared);
      let filled = 0;
      await this.pump(response, scope, declared, (chunk) => {
        bytes.set(chunk, filled);
        filled += chunk.length;
      });
      return bytes;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const body = response.body;
    if (body !== null) {
      const reader = body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          scope.touch();
          total += value.length;
          if (total > limit) throw refuse(`larger than ${limit} bytes`);
          chunks.push(value);
          this.progress(value.length);
        }
      } catch (error) {
        reader.cancel().catch(() => undefined);
        throw error;
      }
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  }

  /**
   * After a failed try: rethrow what is final (a typed error, an abort), give up when the
   * retries are spent, else wait the backoff (or the server's Retry-After) and return.
   */
  private async recover(
    error: unknown,
    failures: number,
    signal: AbortSignal,
    byteOffset: number,
  ): Promise<void> {
    if (signal.aborted) throw signal.reason;
    if (!(error instanceof TransientFailure) && ByteSourceError.isInstance(error)) throw error;
    const failure = error instanceof TransientFailure ? error : new TransientFailure(error);
    if (failures > this.options.retries) {
      throw this.error({
        code: 'SOURCE_READ_FAILED',
        message: `gave up after ${failures} tries: ${this.describe(failure.cause)}`,
        byteOffset,
        cause: failure.cause,
      });
    }
    if (failure.retryAfter !== undefined && failure.retryAfter > this.options.maxRetryDelay) {
      throw this.error({
        code: 'SOURCE_READ_FAILED',
        message: `the server asked to retry after ${Math.ceil(failure.retryAfter / 1000)} s, longer than maxRetryDelay (${this.options.maxRetryDelay} ms): ${this.describe(failure.cause)}`,
        byteOffset,
        cause: failure.cause,
      });
    }
    const delay = failure.immediate
      ? 0
      : (failure.retryAfter ??
        backoffDelay(failures, this.options.retryDelay, this.options.maxRetryDelay));
    await sleep(delay, signal);
  }

  /** A 4xx (final) or a 5xx / 429 (retried) answer. */
  private statusFailure(response: Response, url: string, byteOffset?: number): unknown {
    discard(response);
    const error = this.statusError(response, url, byteOffset);
    if (!RETRIED_STATUSES.has(response.status)) return error;
    return new TransientFailure(
      error,
      parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    );
  }

  private statusError(response: Response, url: string, byteOffset?: number): ByteSourceError {
    // After a redirect, say where the answer came from (masked: a CDN URL carries a signature).
    const from = url === this.url ? '' : ` from ${redactUrl(url)}`;
    return this.error({
      code: 'SOURCE_HTTP_STATUS',
      message: `the server answered ${statusText(response)}${from}`,
      byteOffset,
      status: response.status,
    });
  }

  private changed(reason: string, byteOffset: number, status: number): ByteSourceError {
    return this.error({
      code: 'SOURCE_CHANGED',
      message: `the file changed on the server since it was opened: ${reason}`,
      byteOffset,
      status,
    });
  }

  private error(options: Omit<ByteSourceErrorOptions, 'file'>): ByteSourceError {
    return new ByteSourceError({ ...options, file: this.name });
  }

  /** A cause's message chain, with the raw URLs (which may carry signatures) replaced by `name`. */
  private describe(cause: unknown): string {
    const parts: string[] = [];
    for (let current = cause, depth = 0; current !== undefined && depth < 3; depth++) {
      let text = current instanceof Error ? current.message : String(current);
      if (ByteSourceError.isInstance(current)) {
        // Our own error: its area prefix and location would repeat the outer error's.
        text = text.replace(/^\[reprokit\] \[source\] /, '').replace(/ \([^()]*\)$/, '');
      }
      parts.push(text);
      current = current instanceof Error ? current.cause : undefined;
    }
    let text = parts.join(': ');
    for (const url of new Set([this.url, this.readUrl])) text = text.replaceAll(url, this.name);
    return text;
  }

  private progress(chunkBytes: number): void {
    this.receivedBytes += chunkBytes;
    const onProgress = this.options.onProgress;
    if (onProgress === undefined) return;
    try {
      onProgress({ receivedBytes: this.receivedBytes, chunkBytes, requests: this.requests });
    } catch (cause) {
      throw this.error({
        code: 'SOURCE_READ_FAILED',
        message: `onProgress threw: ${(cause as Error)?.message ?? String(cause)}`,
        cause,
      });
    }
  }

  /** A request's own abort signal: follows `signal` and fires after `timeout` idle ms. */
  private scope(signal: AbortSignal): RequestScope {
    const controller = new AbortController();
    const forward = () => controller.abort(signal.reason);
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    const timeout = this.options.timeout;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      if (timeout === 0) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(
        () => controller.abort(new IdleTimeoutError(`no data from the server for ${timeout} ms`)),
        timeout,
      );
    };
    touch();
    return {
      signal: controller.signal,
      touch,
      end() {
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', forward);
      },
    };
  }
}

/** Wait `milliseconds`, or reject with the signal's reason when it aborts first. */
function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  if (milliseconds <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Bytes read per BYOB read; the buffer is reused for every read of one body. */
const BODY_BUFFER_BYTES = 1 << 20;

/**
 * The chunks of a response body. Where the body is a byte stream (browsers' `fetch`), a BYOB
 * reader fills one reused buffer: a range of hundreds of megabytes then leaves no chunk garbage
 * behind (a plain reader hands out a new buffer per chunk, as much garbage as the range is
 * long, which the JS heap carries until the next GC). Elsewhere, a plain reader. A chunk is only
 * valid until the next call.
 */
function bodyChunks(body: ReadableStream<Uint8Array>): {
  next(): Promise<Uint8Array | undefined>;
  cancel(): Promise<void>;
} {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: TypeError.
  }
  if (byob === undefined) {
    const reader = body.getReader();
    return {
      async next() {
        const { done, value } = await reader.read();
        return done ? undefined : value;
      },
      cancel: () => reader.cancel(),
    };
  }
  const reader = byob;
  let buffer: ArrayBuffer = new ArrayBuffer(BODY_BUFFER_BYTES);
  return {
    async next() {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || value === undefined) return undefined;
      // The read transferred the buffer into `value`: take it back for the next read.
      buffer = value.buffer as ArrayBuffer;
      return value;
    },
    cancel: () => reader.cancel(),
  };
}
