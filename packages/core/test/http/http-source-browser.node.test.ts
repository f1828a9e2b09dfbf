import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FaultProxy, startFaultProxy } from '@reprokit/http-test-servers';
import { useNginx } from '@reprokit/http-test-servers/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_MISSING,
  chromium,
  publishCoreSources,
  reportFromChromium,
} from './chromium-page.js';
import { patternBytes, serveFile } from './http-fixture.js';

// httpSource in a real browser: Debian's Chromium loads a page from nginx (through the proxy)
// that imports core's source files as plain ES modules (transpiled here, no bundler), opens
// files with the browser's own fetch and reports what it read by requesting /report?<json>.
let proxy: FaultProxy;

const page = `<!doctype html><html><body><script type="module">
import { httpSource } from './src/source/http-source.js';
const report = {};
try {
  const whole = new Uint8Array(await (await fetch('/plain.bin')).arrayBuffer());
  const same = (bytes, offset) => bytes.every((value, index) => value === whole[offset + index]);
  const source = await httpSource('/data.bin', { headers: { Authorization: 'Bearer page-token' } });
  const prefix = await source.read(0, 8);
  const [a, b, c] = await Promise.all([source.read(100000, 1000), source.read(101000, 1000), source.read(60000, 200000)]);
  report.direct = { name: source.name, size: source.size, ok: same(prefix, 0) && same(a, 100000) && same(b, 101000) && same(c, 60000) };
  await source.close();
  const redirected = await httpSource('/redirected.bin');
  const d = await redirected.read(200000, 5000);
  report.redirected = { size: redirected.size, ok: same(d, 200000) };
  await redirected.close();
} catch (error) {
  report.error = String(error);
}
await fetch('/report?' + encodeURIComponent(JSON.stringify(report)));
</script></body></html>`;

describe.skipIf(chromium === undefined)(
  `httpSource in Chromium${chromium === undefined ? CHROMIUM_MISSING : ''}`,
  () => {
    const nginx = useNginx();
    beforeAll(async () => {
      await publishCoreSources(nginx.root);
      await writeFile(join(nginx.root, 'page.html'), page);
      const bytes = patternBytes(400_000, 81);
      await serveFile(nginx.root, bytes, 'data.bin');
      await serveFile(nginx.root, bytes, 'plain.bin');
      // Its own file: the browser's HTTP cache may answer ranges of a file it has seen.
      await serveFile(nginx.root, bytes, 'data-2.bin');
      proxy = await startFaultProxy({
        upstream: nginx.url,
        plan: (request) =>
          request.path === '/redirected.bin'
            ? { kind: 'redirect', location: '/data-2.bin' }
            : undefined,
      });
    });
    afterAll(async () => {
      await proxy?.stop();
    });

    it('reads ranges with the browser fetch: probe, merged reads, If-Range, same-origin headers, redirects', async () => {
      const report = await reportFromChromium(`${proxy.url}/page.html`, () => proxy.records);
      expect(report).toEqual({
        direct: { name: `${proxy.url}/data.bin`, size: 400_000, ok: true },
        redirected: { size: 400_000, ok: true },
      });
      const reads = proxy.records.filter((record) => record.path === '/data.bin');
      expect(reads.map((record) => record.headers.range)).toEqual([
        'bytes=0-63999',
        // 60 000 + 200 000 covers 100 000-102 000: one request for the bytes past the probe.
        'bytes=64000-259999',
      ]);
      expect(reads[0]!.headers.authorization).toBe('Bearer page-token');
      expect(reads[1]!.headers['if-range']).toMatch(/^"/);
      // redirect: 'manual' is opaque in a browser: the source asked once more with 'follow'.
      expect(proxy.records.filter((record) => record.path === '/redirected.bin').length).toBe(2);
      // The browser followed /redirected.bin -> /data-2.bin, keeping Range and If-Range.
      const redirected = proxy.records.filter((record) => record.path.startsWith('/data-2'));
      expect(redirected.map((record) => record.headers.range)).toEqual([
        'bytes=0-63999',
        'bytes=200000-204999',
      ]);
      expect(redirected[1]!.headers['if-range']).toMatch(/^"/);
    }, 300_000);
  },
);
