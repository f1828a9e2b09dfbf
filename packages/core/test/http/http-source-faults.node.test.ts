import {
  type Fault,
  type FaultProxy,
  type ProxiedRequest,
  startFaultProxy,
} from '@reprokit/http-test-servers';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ByteSourceError, type HttpSourceOptions, httpSource } from '../../src/index.js';
import { expectCode, patternBytes, rejectionOf, sameBytes, serveFile } from './http-fixture.js';

// Each fault the proxy can inject must end in a typed error or in a retry that succeeds.
const nginx = useNginx();
let proxy: FaultProxy;
let warnings: string[] = [];
/** Index of the first proxy record of the running test. */
let first = 0;

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: nginx.url });
});
afterAll(async () => {
  await proxy?.stop();
});
beforeEach(() => {
  proxy.setPlan(undefined);
  first = proxy.records.length;
  warnings = [];
});

const options = (extra: HttpSourceOptions = {}): HttpSourceOptions => ({
  retryDelay: 1,
  onWarning: (message) => warnings.push(message),
  ...extra,
});

/** Plan faults by the request's number within the test (0 is the opening request). */
const plan = (choose: (n: number, request: ProxiedRequest) => Fault | Fault[] | undefined) =>
  proxy.setPlan((request) => choose(request.index - first, request));

/** This test's requests as the proxy saw them. */
const requests = () => proxy.records.slice(first);

async function served(bytes: Uint8Array) {
  const path = await serveFile(nginx.root, bytes);
  return { path, url: `${proxy.url}${path}` };
}

describe('httpSource through the fault proxy: retried faults', () => {
  it('retries a connection reset before any answer, at open and on a read', async () => {
    const bytes = patternBytes(400_000, 21);
    const { url } = await served(bytes);
    plan((n) => (n === 0 || n === 2 ? { kind: 'reset-before-response' } : undefined));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 1000), bytes.subarray(100_000, 101_000))).toBe(
      true,
    );
    await source.close();
    expect(requests().length).toBe(4);
  });

  it('resumes after a reset mid-body, asking only for the bytes not yet received', async () => {
    const bytes = patternBytes(1_000_000, 22);
    const { url } = await served(bytes);
    plan((n) => (n === 1 ? { kind: 'reset', afterBytes: 200_000 } : undefined));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 500_000), bytes.subarray(100_000, 600_000))).toBe(
      true,
    );
    await source.close();
    const [, broken, resumed] = requests();
    expect(broken!.headers.range).toBe('bytes=100000-599999');
    const match = /^bytes=(\d+)-599999$/.exec(String(resumed!.headers.range));
    expect(match).not.toBeNull();
    // Somewhere in the part already sent (bytes in flight at the reset may be lost).
    expect(Number(match![1])).toBeGreaterThanOrEqual(100_000);
    expect(Number(match![1])).toBeLessThanOrEqual(300_000);
    expect(resumed!.headers['if-range']).toBe(broken!.headers['if-range']);
    expect(requests().length).toBe(3);
  });

  it('retries 500, 502, 503, 504 and 429 (Retry-After: 0), then reads', async () => {
    const bytes = patternBytes(300_000, 23);
    const { url } = await served(bytes);
    const statuses = [500, 502, 503, 504, 429];
    plan((n) =>
      n >= 1 && n <= statuses.length
        ? { kind: 'status', status: statuses[n - 1]!, headers: { 'retry-after': '0' } }
        : undefined,
    );
    const source = await httpSource(url, options({ retries: 5 }));
    expect(sameBytes(await source.read(100_000, 10), bytes.subarray(100_000, 100_010))).toBe(true);
    await source.close();
    expect(requests().map((record) => record.status)).toEqual([206, ...statuses, 206]);
  });

  it('retries a 503 at open', async () => {
    const bytes = patternBytes(1000, 24);
    const { url } = await served(bytes);
    plan((n) => (n === 0 ? { kind: 'status', status: 503 } : undefined));
    const source = await httpSource(url, options());
    expect(source.size).toBe(1000);
    await source.close();
  });

  it('waits for a slow answer: delayed headers and a trickled body', async () => {
    const bytes = patternBytes(300_000, 25);
    const { url } = await served(bytes);
    plan((n) =>
      n === 1
        ? [
            { kind: 'delay', milliseconds: 200 },
            { kind: 'slow-body', chunkBytes: 16_384, milliseconds: 5 },
          ]
        : undefined,
    );
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 150_000), bytes.subarray(100_000, 250_000))).toBe(
      true,
    );
    await source.close();
    expect(requests().length).toBe(2);
  });

  it('abandons a stalled answer or body after `timeout` idle ms and retries', async () => {
    const bytes = patternBytes(300_000, 26);
    const { url } = await served(bytes);
    plan((n) => (n === 1 ? { kind: 'stall' } : n === 2 ? { kind: 'stall-body' } : undefined));
    const source = await httpSource(url, options({ timeout: 500 }));
    expect(sameBytes(await source.read(100_000, 1000), bytes.subarray(100_000, 101_000))).toBe(
      true,
    );
    await source.close();
    expect(requests().length).toBe(4);
  });

  it('retries a later answer that ignores Range with the same ETag (a node that skipped Range)', async () => {
    const bytes = patternBytes(300_000, 27);
    const { url } = await served(bytes);
    plan((n) => (n === 1 ? { kind: 'ignore-range' } : undefined));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 1000), bytes.subarray(100_000, 101_000))).toBe(
      true,
    );
    await source.close();
    expect(requests().map((record) => record.status)).toEqual([206, 200, 206]);
    // The server declined If-Range with the validator in hand: asked again at once without it.
    const [, declined, retried] = requests();
    expect(declined!.headers['if-range']).toBeDefined();
    expect(retried!.headers['if-range']).toBeUndefined();
  });

  it('still catches a replaced file after a server declined If-Range (the 206 carries the new ETag)', async () => {
    const bytes = patternBytes(300_000, 51);
    const { url } = await served(bytes);
    const replacement = await serveFile(nginx.root, patternBytes(300_000, 52));
    plan((n) =>
      n === 1
        ? { kind: 'ignore-range' }
        : n >= 2
          ? { kind: 'serve-path', path: replacement }
          : undefined,
    );
    const source = await httpSource(url, options());
    const error = await expectCode(source.read(100_000, 1000), 'SOURCE_CHANGED');
    await source.close();
    expect(error.message).toContain('ETag changed');
    expect(requests().map((record) => record.headers['if-range'] === undefined)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('refuses a 206 without validators once the server declined If-Range: SOURCE_RANGE_UNSUPPORTED', async () => {
    const { url } = await served(patternBytes(300_000, 53));
    plan((n) =>
      n === 1 ? { kind: 'ignore-range' } : n >= 2 ? { kind: 'strip-validators' } : undefined,
    );
    const source = await httpSource(url, options());
    const error = await expectCode(source.read(100_000, 1000), 'SOURCE_RANGE_UNSUPPORTED');
    await source.close();
    expect(error.message).toContain('declines If-Range');
    expect(error.message).toContain('bytes 100000-100999');
  });

  it('takes a 206 shorter than asked and asks again for the rest', async () => {
    const bytes = patternBytes(500_000, 28);
    const { url } = await served(bytes);
    // A CDN that caps ranges at 50 000 bytes.
    const capping = (target: string, init: RequestInit) => {
      const headers = new Headers(init.headers);
      const match = /^bytes=(\d+)-(\d+)$/.exec(headers.get('range') ?? '');
      if (match !== null) {
        const start = Number(match[1]);
        headers.set('range', `bytes=${start}-${Math.min(Number(match[2]), start + 49_999)}`);
      }
      return fetch(target, { ...init, headers });
    };
    const source = await httpSource(url, options({ fetch: capping }));
    expect(sameBytes(await source.read(100_000, 120_000), bytes.subarray(100_000, 220_000))).toBe(
      true,
    );
    await source.close();
    expect(requests().map((record) => record.headers.range)).toEqual([
      'bytes=0-49999',
      // The client asked for 100000-219999, then 150000-219999, then 200000-219999.
      'bytes=100000-149999',
      'bytes=150000-199999',
      'bytes=200000-219999',
    ]);
  });
});

describe('httpSource through the fault proxy: typed errors', () => {
  it('gives SOURCE_READ_FAILED with the last cause when every try is reset', async () => {
    const bytes = patternBytes(1_000_000, 31);
    const { url } = await served(bytes);
    plan((n) => (n >= 1 ? { kind: 'reset', afterBytes: 1000 } : undefined));
    const source = await httpSource(url, options({ retries: 2 }));
    const error = await expectCode(source.read(100_000, 500_000), 'SOURCE_READ_FAILED');
    await source.close();
    expect(error.message).toContain('gave up after 3 tries');
    expect(error.cause).toBeDefined();
    expect(error.byteOffset).toBeGreaterThanOrEqual(100_000);
    expect(requests().length).toBe(4);
  });

  it('gives SOURCE_READ_FAILED whose cause is the last status when 5xx persists', async () => {
    const { url } = await served(patternBytes(300_000, 32));
    plan((n) => (n >= 1 ? { kind: 'status', status: 503 } : undefined));
    const source = await httpSource(url, options({ retries: 1 }));
    const error = await expectCode(source.read(100_000, 10), 'SOURCE_READ_FAILED');
    await source.close();
    const cause = error.cause as ByteSourceError;
    expect([cause.code, cause.status]).toEqual(['SOURCE_HTTP_STATUS', 503]);
    expect(requests().length).toBe(3);
  });

  it('gives up at once when Retry-After is longer than maxRetryDelay', async () => {
    const { url } = await served(patternBytes(300_000, 33));
    plan((n) =>
      n >= 1 ? { kind: 'status', status: 429, headers: { 'retry-after': '3600' } } : undefined,
    );
    const source = await httpSource(url, options({ maxRetryDelay: 10_000 }));
    const error = await expectCode(source.read(100_000, 10), 'SOURCE_READ_FAILED');
    await source.close();
    expect(error.message).toContain('retry after 3600 s');
    expect((error.cause as ByteSourceError).status).toBe(429);
    expect(requests().length).toBe(2);
  });

  it('does not retry 4xx answers: SOURCE_HTTP_STATUS with the status and the URL, at open and on reads', async () => {
    const { url, path } = await served(patternBytes(300_000, 34));
    for (const status of [400, 401, 403, 404, 410]) {
      first = proxy.records.length;
      plan(() => ({ kind: 'status', status }));
      const atOpen = await expectCode(httpSource(url, options()), 'SOURCE_HTTP_STATUS');
      expect([atOpen.status, atOpen.file]).toEqual([status, `${proxy.url}${path}`]);
      expect(atOpen.message).toContain(String(status));
      expect(requests().length).toBe(1);

      first = proxy.records.length;
      plan((n) => (n === 1 ? { kind: 'status', status } : undefined));
      const source = await httpSource(url, options());
      const onRead = await expectCode(source.read(100_000, 10), 'SOURCE_HTTP_STATUS');
      await source.close();
      expect([onRead.status, onRead.byteOffset]).toEqual([status, 100_000]);
      expect(requests().length).toBe(2);
    }
  });

  it('reads a small file whole with a warning when the server ignores Range at open', async () => {
    const bytes = patternBytes(200_000, 35);
    const { url } = await served(bytes);
    plan(() => ({ kind: 'ignore-range' }));
    const source = await httpSource(url, options());
    expect(source.size).toBe(200_000);
    expect(sameBytes(await source.read(150_000, 50_000), bytes.subarray(150_000))).toBe(true);
    expect(sameBytes(await source.read(0, 200_000), bytes)).toBe(true);
    await source.close();
    expect(requests().length).toBe(1);
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain('ignored the Range header');
    expect(warnings[0]).toContain('200000 bytes');
  });

  it('reads a file no larger than the probe whole without a warning', async () => {
    const bytes = patternBytes(1000, 36);
    const { url } = await served(bytes);
    plan(() => ({ kind: 'ignore-range' }));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(0, 1000), bytes)).toBe(true);
    await source.close();
    expect(warnings).toEqual([]);
  });

  it('refuses a large file from a server that ignores Range: SOURCE_RANGE_UNSUPPORTED, with or without Content-Length', async () => {
    const { url } = await served(patternBytes(1_000_000, 37));
    plan(() => ({ kind: 'ignore-range' }));
    const declared = await expectCode(
      httpSource(url, options({ maxWholeBodyBytes: 100_000 })),
      'SOURCE_RANGE_UNSUPPORTED',
    );
    expect(declared.message).toContain('1000000 bytes');
    // Chunked, no Content-Length: refused once more than the limit arrived.
    plan(() => [{ kind: 'ignore-range' }, { kind: 'truncate', bytes: Number.MAX_SAFE_INTEGER }]);
    const chunked = await expectCode(
      httpSource(url, options({ maxWholeBodyBytes: 100_000 })),
      'SOURCE_RANGE_UNSUPPORTED',
    );
    expect(chunked.message).toContain('larger than 100000 bytes');
  });

  it('gives SOURCE_READ_FAILED with a SOURCE_RANGE_UNSUPPORTED cause when later answers keep ignoring Range', async () => {
    const { url } = await served(patternBytes(300_000, 38));
    plan((n) => (n >= 1 ? { kind: 'ignore-range' } : undefined));
    const source = await httpSource(url, options({ retries: 2 }));
    const error = await expectCode(source.read(100_000, 10), 'SOURCE_READ_FAILED');
    await source.close();
    expect((error.cause as ByteSourceError).code).toBe('SOURCE_RANGE_UNSUPPORTED');
  });

  it('gives SOURCE_CHANGED when the file is replaced (If-Range fails, nginx sends the new file whole), and keeps failing', async () => {
    const bytes = patternBytes(300_000, 39);
    const { url } = await served(bytes);
    const replacement = await serveFile(nginx.root, patternBytes(300_000, 40));
    plan((n) => (n >= 2 ? { kind: 'serve-path', path: replacement } : undefined));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 10), bytes.subarray(100_000, 100_010))).toBe(true);
    const error = await expectCode(source.read(200_000, 10), 'SOURCE_CHANGED');
    expect(error.status).toBe(200);
    const [, read, replaced] = requests();
    // The same If-Range (the ETag the file was opened with) went with both reads.
    expect(read!.headers['if-range']).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(replaced!.headers['if-range']).toBe(read!.headers['if-range']);
    expect(replaced!.status).toBe(200);
    // Later reads fail the same way without asking the server, the probe's bytes included.
    const count = requests().length;
    await expectCode(source.read(250_000, 10), 'SOURCE_CHANGED');
    await expectCode(source.read(0, 8), 'SOURCE_CHANGED');
    expect(requests().length).toBe(count);
    await source.close();
  });

  it('gives SOURCE_CHANGED for a 206 with another ETag or another size', async () => {
    const { url } = await served(patternBytes(300_000, 41));
    plan((n) => (n === 1 ? { kind: 'rewrite-etag', etag: '"someone-else"' } : undefined));
    let source = await httpSource(url, options());
    let error = await expectCode(source.read(100_000, 10), 'SOURCE_CHANGED');
    expect(error.message).toContain('"someone-else"');
    await source.close();

    first = proxy.records.length;
    plan((n) => (n === 1 ? { kind: 'content-range-total', total: 300_001 } : undefined));
    source = await httpSource(url, options());
    error = await expectCode(source.read(100_000, 10), 'SOURCE_CHANGED');
    expect(error.message).toContain('from 300000 to 300001 bytes');
    await source.close();
  });

  it('sends the Last-Modified date as If-Range when the ETag is weak, and catches a replacement with it', async () => {
    const bytes = patternBytes(300_000, 42);
    const { url } = await served(bytes);
    const replacement = await serveFile(nginx.root, patternBytes(300_000, 43));
    plan((n) => [
      { kind: 'rewrite-etag', etag: 'W/"weak"' },
      ...(n >= 2 ? [{ kind: 'serve-path', path: replacement } as const] : []),
    ]);
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(100_000, 10), bytes.subarray(100_000, 100_010))).toBe(true);
    await expectCode(source.read(200_000, 10), 'SOURCE_CHANGED');
    await source.close();
    const [, read] = requests();
    expect(read!.headers['if-range']).toMatch(/GMT$/);
    expect(warnings).toEqual([]);
  });

  it('without ETag or Last-Modified: warns, sends no If-Range, catches a size change but not a same-size replacement', async () => {
    const bytes = patternBytes(300_000, 44);
    const { url } = await served(bytes);
    const sameSize = patternBytes(300_000, 45);
    const sameSizePath = await serveFile(nginx.root, sameSize);
    const otherSizePath = await serveFile(nginx.root, patternBytes(300_001, 46));
    plan((n) => [
      { kind: 'strip-validators' },
      ...(n === 2 ? [{ kind: 'serve-path', path: sameSizePath } as const] : []),
      ...(n === 3 ? [{ kind: 'serve-path', path: otherSizePath } as const] : []),
    ]);
    const source = await httpSource(url, options());
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toContain('neither an ETag nor a Last-Modified');
    expect(sameBytes(await source.read(100_000, 10), bytes.subarray(100_000, 100_010))).toBe(true);
    // Not guaranteed without validators: a same-size replacement is read as if nothing changed.
    expect(sameBytes(await source.read(200_000, 10), sameSize.subarray(200_000, 200_010))).toBe(
      true,
    );
    await expectCode(source.read(250_000, 10), 'SOURCE_CHANGED');
    await source.close();
    expect(requests().every((record) => record.headers['if-range'] === undefined)).toBe(true);
  });

  it('does not warn about missing validators for a file the probe held whole', async () => {
    const bytes = patternBytes(1000, 50);
    const { url } = await served(bytes);
    plan(() => ({ kind: 'strip-validators' }));
    const source = await httpSource(url, options());
    expect(sameBytes(await source.read(0, 1000), bytes)).toBe(true);
    await source.close();
    expect([warnings, requests().length]).toEqual([[], 1]);
  });

  it('gives SOURCE_LENGTH_MISMATCH, without retrying, for a wrong Content-Length', async () => {
    const { url } = await served(patternBytes(300_000, 47));
    for (const value of [999, 1001]) {
      first = proxy.records.length;
      plan((n) => (n === 1 ? { kind: 'content-length', value } : undefined));
      const source = await httpSource(url, options());
      const error = await expectCode(source.read(100_000, 1000), 'SOURCE_LENGTH_MISMATCH');
      await source.close();
      expect(error.message).toContain(`Content-Length is ${value}`);
      expect(requests().length).toBe(2);
    }
  });

  it('gives SOURCE_LENGTH_MISMATCH for a body shorter or longer than its range', async () => {
    const { url } = await served(patternBytes(300_000, 48));
    plan((n) => (n === 1 ? { kind: 'truncate', bytes: 600 } : undefined));
    let source = await httpSource(url, options());
    let error = await expectCode(source.read(100_000, 1000), 'SOURCE_LENGTH_MISMATCH');
    expect(error.message).toContain('ended after 600');
    await source.close();

    first = proxy.records.length;
    plan((n) => (n === 1 ? { kind: 'append', bytes: 10 } : undefined));
    source = await httpSource(url, options());
    error = await expectCode(source.read(100_000, 1000), 'SOURCE_LENGTH_MISMATCH');
    expect(error.message).toContain('longer than');
    await source.close();
  });

  it('rejects with the signal reason when aborted while waiting to retry', async () => {
    const { url } = await served(patternBytes(300_000, 49));
    plan((n) => (n >= 1 ? { kind: 'status', status: 503 } : undefined));
    const source = await httpSource(url, options({ retryDelay: 600_000, maxRetryDelay: 600_000 }));
    const controller = new AbortController();
    const read = source.read(100_000, 10, { signal: controller.signal });
    while (requests().length < 2) await new Promise((wake) => setTimeout(wake, 5));
    controller.abort(new Error('user gave up'));
    expect((await rejectionOf(read)).message).toBe('user gave up');
    await source.close();
  });
});
