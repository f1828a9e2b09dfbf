/*
 * A server that gzips its 206 answers although the client asked for `Accept-Encoding: identity`
 * (some CDNs do), read by httpSource in Debian's headless Chromium with the browser's own
 * fetch. Chromium itself fails such a fetch (it refuses an encoding it did not ask for), so
 * httpSource must end in a typed error after its retries, never in bytes.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_MISSING,
  chromium,
  publishCoreSources,
  reportFromChromium,
} from './chromium-page.js';
import { patternBytes } from './http-fixture.js';
import { startGzipRangeServer } from './interop/start-gzip-range-server.js';

let server: Awaited<ReturnType<typeof startGzipRangeServer>>;

/** Core's source files as plain ES modules (transpiled, no bundler) under `root/src`. */
const page = `<!doctype html><html><body><script type="module">
import { httpSource } from './src/source/http-source.js';
const report = {};
try {
  await fetch('/data.bin', { headers: { Range: 'bytes=1000-1999' } });
  report.fetch = 'answered';
} catch (error) {
  report.fetch = error.name;
}
try {
  const source = await httpSource('/data.bin', { retries: 1, retryDelay: 10 });
  report.source = 'opened';
  await source.close();
} catch (error) {
  report.source = { code: error.code, message: error.message, cause: String(error.cause) };
}
await fetch('/report?' + encodeURIComponent(JSON.stringify(report))).catch(() => undefined);
</script></body></html>`;

describe.skipIf(chromium === undefined)(
  `httpSource in Chromium against gzipped 206 answers${chromium === undefined ? CHROMIUM_MISSING : ''}`,
  () => {
    beforeAll(async () => {
      server = await startGzipRangeServer();
      await publishCoreSources(server.root);
      await writeFile(join(server.root, 'page.html'), page);
      await writeFile(join(server.root, 'data.bin'), patternBytes(300_000, 91));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('fails with SOURCE_READ_FAILED (the browser refuses the fetch), never with bytes', async () => {
      const report = (await reportFromChromium(
        `${server.url}/page.html`,
        () => server.requests,
      )) as {
        fetch: string;
        source: { code: string; message: string; cause: string };
      };
      expect(report.fetch).toBe('TypeError');
      expect(report.source.code).toBe('SOURCE_READ_FAILED');
      expect(report.source.message).toContain('gave up after 2 tries');
      expect(report.source.message).toContain(`${server.url}/data.bin`);
      expect(report.source.cause).toContain('TypeError');
      // Chromium asked for the ranges unencoded, as the Fetch standard says it must.
      const ranged = server.requests.filter((request) => request.headers.range !== undefined);
      expect(ranged.length).toBe(3);
      for (const request of ranged) expect(request.headers['accept-encoding']).toBe('identity');
    }, 300_000);
  },
);
