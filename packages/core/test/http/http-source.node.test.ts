import { inspect } from 'node:util';
import { type FaultProxy, startFaultProxy } from '@reprokit/http-test-servers';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ByteSource, type HttpProgress, httpSource } from '../../src/index.js';
import { expectCode, patternBytes, rejectionOf, sameBytes, serveFile } from './http-fixture.js';

const nginx = useNginx();
let proxy: FaultProxy;
const warnings: string[] = [];
const onWarning = (message: string) => warnings.push(message);

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: nginx.url });
});
afterAll(async () => {
  await proxy?.stop();
});

/** The requests nginx served since the last clear, once every finished one is logged. */
async function servedRequests() {
  // nginx (one worker) logs requests in the order they finish: once a request made after
  // them is logged, all of ours are.
  const marker = `/marker-${Math.random()}`;
  await (await fetch(`${nginx.url}${marker}`)).arrayBuffer();
  for (let tries = 0; tries < 1000; tries++) {
    const entries = await nginx.accessLog();
    const index = entries.findIndex((entry) => entry.uri === marker);
    if (index !== -1) return entries.filter((entry) => entry.uri !== marker);
    await new Promise((wake) => setTimeout(wake, 10));
  }
  throw new Error('the marker request was never logged');
}

/** A fetch that holds requests whose Range starts at `offset` until `release()`. */
function gatedFetch(offset: number) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    release,
    fetch: async (url: string, init: RequestInit) => {
      const range = new Headers(init.headers).get('range') ?? '';
      if (range.startsWith(`bytes=${offset}-`)) await gate;
      return fetch(url, init);
    },
  };
}

async function withSource<T>(
  source: ByteSource,
  body: (source: ByteSource) => Promise<T>,
): Promise<T> {
  try {
    return await body(source);
  } finally {
    await source.close();
  }
}

describe('httpSource against nginx', () => {
  it('opens with one range request and serves a header that fits the 64 kB probe from it', async () => {
    const bytes = patternBytes(300_000);
    const path = await serveFile(nginx.root, bytes);
    await nginx.clearAccessLog();
    await withSource(await httpSource(`${nginx.url}${path}`, { onWarning }), async (source) => {
      expect(source.size).toBe(300_000);
      expect(source.name).toBe(`${nginx.url}${path}`);
      expect(sameBytes(await source.read(0, 8), bytes.subarray(0, 8))).toBe(true);
      expect(sameBytes(await source.read(8, 40_000), bytes.subarray(8, 40_008))).toBe(true);
      expect(sameBytes(await source.read(0, 64_000), bytes.subarray(0, 64_000))).toBe(true);
    });
    const served = await servedRequests();
    expect(served.map((entry) => [entry.range, entry.status, entry.bodyBytesSent])).toEqual([
      ['bytes=0-63999', 206, 64_000],
    ]);
  });

  it('asks only for the bytes past the probe, with If-Range, for a header longer than it', async () => {
    const bytes = patternBytes(300_000, 2);
    const path = await serveFile(nginx.root, bytes);
    await nginx.clearAccessLog();
    await withSource(await httpSource(`${nginx.url}${path}`, { onWarning }), async (source) => {
      await source.read(0, 8);
      const into = new Uint8Array(100_000 - 8);
      expect(await source.read(8, into.length, { into })).toBe(into);
      expect(sameBytes(into, bytes.subarray(8, 100_000))).toBe(true);
    });
    const served = await servedRequests();
    expect(served.map((entry) => entry.range)).toEqual(['bytes=0-63999', 'bytes=64000-99999']);
    expect(served[1]!.ifRange).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('merges reads issued together: adjacent, overlapping and within 32 KiB, not further apart', async () => {
    const bytes = patternBytes(1_000_000, 3);
    const path = await serveFile(nginx.root, bytes);
    await withSource(await httpSource(`${nginx.url}${path}`, { onWarning }), async (source) => {
      await nginx.clearAccessLog();
      // 200 adjacent reads of 1000 bytes, one overlapping pair, issued in one loop.
      const ranges: Array<[number, number]> = Array.from({ length: 200 }, (_, index) => [
        100_000 + index * 1000,
        1000,
      ]);
      ranges.push([150_500, 2000]);
      const results = await Promise.all(
        ranges.map(([offset, length]) => source.read(offset, length)),
      );
      for (const [index, [offset, length]] of ranges.entries()) {
        expect(sameBytes(results[index]!, bytes.subarray(offset, offset + length))).toBe(true);
      }
      expect((await servedRequests()).map((entry) => entry.range)).toEqual(['bytes=100000-299999']);

      await nginx.clearAccessLog();
      // 32 768 bytes apart: merged. 32 769 apart: separate.
      await Promise.all([
        source.read(400_000, 10),
        source.read(400_010 + 32_768, 10),
        source.read(600_000, 10),
        source.read(600_010 + 32_769, 10),
      ]);
      expect((await servedRequests()).map((entry) => entry.range).sort()).toEqual([
        'bytes=400000-432787',
        'bytes=600000-600009',
        'bytes=632779-632788',
      ]);
    });
  });

  it('keeps a merged request within maxCoalescedBytes and never splits one read', async () => {
    const bytes = patternBytes(1_000_000, 4);
    const path = await serveFile(nginx.root, bytes);
    const options = { onWarning, maxCoalescedBytes: 100_000 };
    await withSource(await httpSource(`${nginx.url}${path}`, options), async (source) => {
      await nginx.clearAccessLog();
      const reads = Array.from({ length: 10 }, (_, index) =>
        source.read(100_000 + index * 30_000, 30_000),
      );
      reads.push(source.read(500_000, 400_000));
      const results = await Promise.all(reads);
      expect(sameBytes(results[10]!, bytes.subarray(500_000, 900_000))).toBe(true);
      expect((await servedRequests()).map((entry) => entry.range).sort()).toEqual([
        'bytes=100000-189999',
        'bytes=190000-279999',
        'bytes=280000-369999',
        'bytes=370000-399999',
        'bytes=500000-899999',
      ]);
    });
  });

  it('merges reads that wait in the queue for a free connection', async () => {
    const bytes = patternBytes(1_000_000, 5);
    const path = await serveFile(nginx.root, bytes);
    const gated = gatedFetch(100_000);
    const options = { onWarning, concurrency: 1, fetch: gated.fetch };
    await withSource(await httpSource(`${nginx.url}${path}`, options), async (source) => {
      await nginx.clearAccessLog();
      const first = source.read(100_000, 10);
      const later: Array<Promise<Uint8Array>> = [];
      // Each in its own macrotask while the first request is held: only the queue can merge them.
      for (let index = 0; index < 5; index++) {
        await new Promise((wake) => setTimeout(wake, 0));
        later.push(source.read(500_000 + index * 100, 100));
      }
      gated.release();
      expect(sameBytes(await first, bytes.subarray(100_000, 100_010))).toBe(true);
      const results = await Promise.all(later);
      for (const [index, result] of results.entries()) {
        const offset = 500_000 + index * 100;
        expect(sameBytes(result, bytes.subarray(offset, offset + 100))).toBe(true);
      }
      expect((await servedRequests()).map((entry) => entry.range)).toEqual([
        'bytes=100000-100009',
        'bytes=500000-500499',
      ]);
    });
  });

  it('has at most `concurrency` requests in flight', async () => {
    const bytes = patternBytes(2_000_000, 6);
    const path = await serveFile(nginx.root, bytes);
    let inFlight = 0;
    let most = 0;
    const counting = async (url: string, init: RequestInit) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const response = await fetch(url, init);
      const body = response.body!.pipeThrough(
        new TransformStream({
          flush() {
            inFlight--;
          },
        }),
      );
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const options = { onWarning, concurrency: 3, fetch: counting };
    await withSource(await httpSource(`${nginx.url}${path}`, options), async (source) => {
      most = 0;
      const offsets = Array.from({ length: 20 }, (_, index) => 100_000 + index * 90_000);
      const results = await Promise.all(offsets.map((offset) => source.read(offset, 5000)));
      for (const [index, offset] of offsets.entries()) {
        expect(sameBytes(results[index]!, bytes.subarray(offset, offset + 5000))).toBe(true);
      }
    });
    expect(most).toBe(3);
  });

  it('reports progress: body bytes as nginx sent them, and the request count', async () => {
    const bytes = patternBytes(3_000_000, 7);
    const path = await serveFile(nginx.root, bytes);
    const events: HttpProgress[] = [];
    await nginx.clearAccessLog();
    const options = { onWarning, onProgress: (event: HttpProgress) => events.push(event) };
    await withSource(await httpSource(`${nginx.url}${path}`, options), async (source) => {
      expect(sameBytes(await source.read(0, bytes.length), bytes)).toBe(true);
    });
    const served = await servedRequests();
    const sent = served.reduce((sum, entry) => sum + entry.bodyBytesSent, 0);
    expect(sent).toBe(bytes.length);
    expect(events.at(-1)!.receivedBytes).toBe(sent);
    expect(events.at(-1)!.requests).toBe(served.length);
    let previous = 0;
    for (const event of events) {
      expect(event.receivedBytes).toBe(previous + event.chunkBytes);
      previous = event.receivedBytes;
    }
  });

  it('rejects an abandoned read with its signal reason; the read merged with it still gets its bytes', async () => {
    const bytes = patternBytes(1_000_000, 8);
    const path = await serveFile(nginx.root, bytes);
    const gated = gatedFetch(100_000);
    const options = { onWarning, fetch: gated.fetch };
    await withSource(await httpSource(`${nginx.url}${path}`, options), async (source) => {
      const controller = new AbortController();
      const abandoned = source.read(100_000, 50, { signal: controller.signal });
      const kept = source.read(100_050, 50);
      controller.abort(new Error('not needed any more'));
      gated.release();
      expect((await rejectionOf(abandoned)).message).toBe('not needed any more');
      expect(sameBytes(await kept, bytes.subarray(100_050, 100_100))).toBe(true);
    });
  });

  it('rejects reads in flight and later ones with SOURCE_CLOSED after close()', async () => {
    const path = await serveFile(nginx.root, patternBytes(500_000, 9));
    const gated = gatedFetch(100_000);
    const source = await httpSource(`${nginx.url}${path}`, {
      onWarning,
      fetch: gated.fetch,
      concurrency: 1,
    });
    const pending = source.read(100_000, 10);
    // Waits in the queue: the only connection is held.
    const queued = source.read(300_000, 10);
    await new Promise((wake) => setTimeout(wake, 0));
    await source.close();
    gated.release();
    await expectCode(pending, 'SOURCE_CLOSED');
    await expectCode(queued, 'SOURCE_CLOSED');
    await expectCode(source.read(0, 4), 'SOURCE_CLOSED');
  });

  it('stops opening and every read when options.signal aborts', async () => {
    const path = await serveFile(nginx.root, patternBytes(500_000, 10));
    const aborted = AbortSignal.abort(new Error('cancelled before opening'));
    expect(
      (await rejectionOf(httpSource(`${nginx.url}${path}`, { signal: aborted }))).message,
    ).toBe('cancelled before opening');

    const gated = gatedFetch(100_000);
    const controller = new AbortController();
    const source = await httpSource(`${nginx.url}${path}`, {
      onWarning,
      fetch: gated.fetch,
      signal: controller.signal,
    });
    const pending = source.read(100_000, 10);
    await new Promise((wake) => setTimeout(wake, 0));
    controller.abort(new Error('user cancelled'));
    gated.release();
    expect((await rejectionOf(pending)).message).toBe('user cancelled');
    expect((await rejectionOf(source.read(200_000, 10))).message).toBe('user cancelled');
    await source.close();
  });

  it('turns URL credentials into a Basic Authorization header and masks them in name', async () => {
    const path = await serveFile(nginx.root, patternBytes(1000, 11));
    const base = new URL(proxy.url);
    const url = `http://user:p%40ss@${base.host}${path}`;
    await withSource(await httpSource(url, { onWarning }), async (source) => {
      expect(source.name).toBe(`http://***:***@${base.host}${path}`);
    });
    const record = proxy.records.at(-1)!;
    expect(record.headers.authorization).toBe(`Basic ${btoa('user:p@ss')}`);
  });

  it('never lets a header value or a URL signature into name, errors or their printed forms', async () => {
    const token = 'SECRET-TOKEN-4f1c';
    const signature = 'SIGNATURE-9a7e';
    const headers = { Authorization: `Bearer ${token}`, 'X-Api-Key': token };
    const missing = `${nginx.url}/missing.bin?X-Amz-Expires=60&X-Amz-Signature=${signature}`;
    const error = await expectCode(httpSource(missing, { headers }), 'SOURCE_HTTP_STATUS');
    expect(error.status).toBe(404);
    expect(error.file).toBe(`${nginx.url}/missing.bin?X-Amz-Expires=60&X-Amz-Signature=***`);
    expect(error.message).toContain('404');
    expect(error.message).toContain(error.file);
    const printed = [
      error.message,
      String(error),
      error.stack ?? '',
      JSON.stringify(error),
      inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ].join('\n');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(signature);

    const path = await serveFile(nginx.root, patternBytes(1000, 12));
    const source = await httpSource(`${nginx.url}${path}?token=${signature}`, { headers });
    const shown = [
      source.name,
      String(source),
      JSON.stringify(source),
      inspect(source, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ].join('\n');
    await source.close();
    expect(shown).not.toContain(token);
    expect(shown).not.toContain(signature);
    expect(source.name).toBe(`${nginx.url}${path}?token=***`);

    const invalid = await expectCode(
      httpSource(`${nginx.url}${path}`, {
        headers: { Authorization: `Bearer ${token}\nX-Injected: 1` },
      }),
      'SOURCE_INVALID',
    );
    expect(invalid.message).toContain('"Authorization"');
    expect(inspect(invalid, { depth: Number.POSITIVE_INFINITY })).not.toContain(token);
  });

  it('refuses bad URLs and options with SOURCE_INVALID', async () => {
    const path = await serveFile(nginx.root, patternBytes(10, 13));
    await expectCode(httpSource('ftp://127.0.0.1/x'), 'SOURCE_INVALID');
    await expectCode(httpSource('not a url'), 'SOURCE_INVALID');
    for (const options of [
      { concurrency: 0 },
      { retries: -1 },
      { timeout: 1.5 },
      { probeBytes: 0 },
      { maxCoalescedBytes: Number.NaN },
    ]) {
      await expectCode(httpSource(`${nginx.url}${path}`, options), 'SOURCE_INVALID');
    }
  });

  it('warned about nothing while reading from nginx', () => {
    expect(warnings).toEqual([]);
  });
});
