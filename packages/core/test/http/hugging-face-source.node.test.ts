import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type FaultPlan, type FaultProxy, startFaultProxy } from '@reprokit/http-test-servers';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type HuggingFaceSourceOptions,
  huggingFaceSource,
  huggingFaceUrl,
  shardedIndexFileName,
} from '../../src/index.js';
import { expectCode, patternBytes, sameBytes, serveFile } from './http-fixture.js';

// A stand-in for the Hub on loopback: "hub" and "cdn" are two proxies in front of one nginx,
// on two ports, so two origins. The hub answers resolve URLs of large files with a redirect to
// a signed CDN URL, as huggingface.co does for LFS and Xet files.
const TOKEN = 'hf_SECRETtoken0123456789';
const CDN_SIGNATURE = 'CDNsignature42';
const nginx = useNginx();
let hub: FaultProxy;
let cdn: FaultProxy;
const weights = patternBytes(500_000, 61);
const index = new TextEncoder().encode(JSON.stringify({ weight_map: { w: 'model.safetensors' } }));
let warnings: string[] = [];
let hubFirst = 0;
let cdnFirst = 0;

beforeAll(async () => {
  await mkdir(join(nginx.root, 'blobs'));
  await serveFile(nginx.root, weights, 'blobs/model.safetensors');
  await mkdir(join(nginx.root, 'org/m/resolve/main'), { recursive: true });
  await serveFile(nginx.root, index, `org/m/resolve/main/${shardedIndexFileName()}`);
  hub = await startFaultProxy({ upstream: nginx.url });
  cdn = await startFaultProxy({ upstream: nginx.url });
});
afterAll(async () => {
  await hub?.stop();
  await cdn?.stop();
});
beforeEach(() => {
  hub.setPlan(redirectToCdn);
  cdn.setPlan(undefined);
  hubFirst = hub.records.length;
  cdnFirst = cdn.records.length;
  warnings = [];
});

const cdnUrl = () =>
  `${cdn.url}/blobs/model.safetensors?X-Amz-Expires=3600&X-Amz-Signature=${CDN_SIGNATURE}`;
const redirectToCdn: FaultPlan = (request) =>
  request.path.endsWith('/model.safetensors')
    ? { kind: 'redirect', location: cdnUrl() }
    : undefined;
const hubRequests = () => hub.records.slice(hubFirst);
const cdnRequests = () => cdn.records.slice(cdnFirst);
const file = (extra: Partial<HuggingFaceSourceOptions> = {}): HuggingFaceSourceOptions => ({
  repo: 'org/m',
  file: 'model.safetensors',
  endpoint: hub.url,
  retryDelay: 1,
  onWarning: (message) => warnings.push(message),
  ...extra,
});

describe('huggingFaceSource and redirects', () => {
  it('sends the token to the Hub only; Range and If-Range follow the redirect; later reads go to the CDN', async () => {
    const source = await huggingFaceSource(file({ token: TOKEN }));
    expect(source.name).toBe(`${hub.url}/org/m/resolve/main/model.safetensors`);
    expect(source.size).toBe(weights.length);
    expect(sameBytes(await source.read(0, 8), weights.subarray(0, 8))).toBe(true);
    expect(sameBytes(await source.read(100_000, 1000), weights.subarray(100_000, 101_000))).toBe(
      true,
    );
    await source.close();
    expect(
      hubRequests().map((record) => [record.headers.authorization, record.headers.range]),
    ).toEqual([[`Bearer ${TOKEN}`, 'bytes=0-63999']]);
    const [opening, read] = cdnRequests();
    expect(cdnRequests().length).toBe(2);
    expect(opening!.path).toContain(`X-Amz-Signature=${CDN_SIGNATURE}`);
    expect(opening!.headers.range).toBe('bytes=0-63999');
    expect(read!.headers.range).toBe('bytes=100000-100999');
    expect(read!.headers['if-range']).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(cdnRequests().every((record) => record.headers.authorization === undefined)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("does not send other headers across origins either, which Node's own fetch does", async () => {
    // Node's fetch, following the redirect itself: drops Authorization, keeps X-Api-Key.
    const response = await fetch(`${hub.url}/org/m/resolve/main/model.safetensors`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-api-key': TOKEN, range: 'bytes=0-9' },
    });
    expect(response.status).toBe(206);
    await response.arrayBuffer();
    const followed = cdnRequests().at(-1)!;
    expect(followed.headers.authorization).toBeUndefined();
    expect(followed.headers['x-api-key']).toBe(TOKEN);

    cdnFirst = cdn.records.length;
    const source = await huggingFaceSource(file({ token: TOKEN, headers: { 'X-Api-Key': TOKEN } }));
    await source.read(200_000, 10);
    await source.close();
    expect(hubRequests().at(-1)!.headers['x-api-key']).toBe(TOKEN);
    expect(cdnRequests().length).toBe(2);
    for (const record of cdnRequests()) {
      expect(record.headers.authorization).toBeUndefined();
      expect(record.headers['x-api-key']).toBeUndefined();
    }
  });

  it('keeps the headers on a redirect within the same origin', async () => {
    hub.setPlan((request) =>
      request.path.startsWith('/org/')
        ? { kind: 'redirect', location: '/blobs/model.safetensors' }
        : undefined,
    );
    const source = await huggingFaceSource(file({ token: TOKEN }));
    expect(sameBytes(await source.read(300_000, 10), weights.subarray(300_000, 300_010))).toBe(
      true,
    );
    await source.close();
    expect(hubRequests().map((record) => [record.path, record.headers.authorization])).toEqual([
      ['/org/m/resolve/main/model.safetensors', `Bearer ${TOKEN}`],
      ['/blobs/model.safetensors', `Bearer ${TOKEN}`],
      ['/blobs/model.safetensors', `Bearer ${TOKEN}`],
    ]);
  });

  it('goes through the Hub again when the signed CDN URL has expired (403), once', async () => {
    cdn.setPlan((request) =>
      request.index - cdnFirst === 1 ? { kind: 'status', status: 403 } : undefined,
    );
    const source = await huggingFaceSource(file({ token: TOKEN }));
    expect(sameBytes(await source.read(100_000, 10), weights.subarray(100_000, 100_010))).toBe(
      true,
    );
    await source.close();
    const again = hubRequests()[1]!;
    expect(hubRequests().length).toBe(2);
    expect(again.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(again.headers.range).toBe('bytes=100000-100009');
    expect(again.headers['if-range']).toBe(cdnRequests()[1]!.headers['if-range']);
    expect(cdnRequests().map((record) => record.status)).toEqual([206, 403, 206]);
  });

  it("follows with the runtime's fetch where redirect: 'manual' is opaque (browsers), still carrying Range and If-Range", async () => {
    let opaque = 0;
    const browserLike = async (url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      if (init.redirect !== 'manual' || response.status < 300 || response.status >= 400) {
        return response;
      }
      await response.body?.cancel();
      opaque++;
      // What a browser returns for a redirect under redirect: 'manual': no status, no Location.
      const hidden = new Response(null, { status: 200 });
      Object.defineProperty(hidden, 'type', { value: 'opaqueredirect' });
      Object.defineProperty(hidden, 'status', { value: 0 });
      return hidden;
    };
    const source = await huggingFaceSource(file({ token: TOKEN, fetch: browserLike }));
    expect(sameBytes(await source.read(400_000, 10), weights.subarray(400_000, 400_010))).toBe(
      true,
    );
    await source.close();
    expect(opaque).toBe(1);
    expect(cdnRequests().map((record) => record.headers.range)).toEqual([
      'bytes=0-63999',
      'bytes=400000-400009',
    ]);
    expect(cdnRequests()[1]!.headers['if-range']).toMatch(/^"/);
    // Node's fetch drops Authorization on the cross-origin hop, as the Fetch standard says.
    expect(cdnRequests().every((record) => record.headers.authorization === undefined)).toBe(true);
  });

  it('ends redirect loops and redirects to non-HTTP URLs in SOURCE_HTTP_STATUS', async () => {
    hub.setPlan(() => ({ kind: 'redirect', location: '/org/m/resolve/main/model.safetensors' }));
    const loop = await expectCode(huggingFaceSource(file()), 'SOURCE_HTTP_STATUS');
    expect(loop.message).toContain('more than 20 redirects');
    expect(hubRequests().length).toBe(21);
    hub.setPlan(() => ({ kind: 'redirect', location: 'file:///etc/passwd' }));
    const elsewhere = await expectCode(huggingFaceSource(file()), 'SOURCE_HTTP_STATUS');
    expect([elsewhere.status, elsewhere.message]).toEqual([
      302,
      expect.stringContaining('not an HTTP URL'),
    ]);
  });

  it('reads a sharded index from its resolve URL (no redirect for small files)', async () => {
    const source = await huggingFaceSource(file({ file: shardedIndexFileName(), token: TOKEN }));
    expect(source.name).toBe(
      huggingFaceUrl({ repo: 'org/m', file: shardedIndexFileName(), endpoint: hub.url }),
    );
    expect(sameBytes(await source.read(0, source.size), index)).toBe(true);
    await source.close();
  });

  it('never lets the token into name, errors, warnings or printed forms', async () => {
    const printed: string[] = [];
    const print = (value: unknown) =>
      printed.push(
        String(value),
        JSON.stringify(value) ?? '',
        inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      );

    hub.setPlan(() => ({ kind: 'status', status: 401 }));
    const denied = await expectCode(
      huggingFaceSource(file({ token: TOKEN })),
      'SOURCE_HTTP_STATUS',
    );
    expect(denied.status).toBe(401);
    expect(denied.file).toBe(`${hub.url}/org/m/resolve/main/model.safetensors`);
    print(denied);

    hub.setPlan(redirectToCdn);
    cdn.setPlan(() => ({ kind: 'strip-validators' }));
    const options = file({ token: TOKEN });
    const source = await huggingFaceSource(options);
    print(source);
    print(options.onWarning);
    cdn.setPlan(() => ({ kind: 'status', status: 500 }));
    print(await expectCode(source.read(100_000, 10), 'SOURCE_READ_FAILED'));
    await source.close();
    expect(warnings.length).toBe(1);
    printed.push(...warnings);

    print(await expectCode(huggingFaceSource(file({ token: `${TOKEN} x` })), 'SOURCE_INVALID'));
    print(
      await expectCode(
        huggingFaceSource(file({ token: TOKEN, headers: { authorization: `Bearer ${TOKEN}` } })),
        'SOURCE_INVALID',
      ),
    );
    const text = printed.join('\n');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(CDN_SIGNATURE);
    expect(text).toContain('X-Amz-Signature=***');
  });
});
