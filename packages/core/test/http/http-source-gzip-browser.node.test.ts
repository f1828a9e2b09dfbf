/*
 * A server that gzips its 206 answers although the client asked for `Accept-Encoding: identity`
 * (some CDNs do), read by httpSource in Debian's headless Chromium with the browser's own
 * fetch. Chromium itself fails such a fetch (it refuses an encoding it did not ask for), so
 * httpSource must end in a typed error after its retries, never in bytes.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternBytes } from './http-fixture.js';
import { startGzipRangeServer } from './interop/start-gzip-range-server.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) =>
  existsSync(path),
);
const srcFolder = join(dirname(fileURLToPath(import.meta.url)), '../../src');
let server: Awaited<ReturnType<typeof startGzipRangeServer>>;

/** Core's source files as plain ES modules (transpiled, no bundler) under `root/src`. */
async function publishSources(root: string) {
  for (const folder of ['source', 'errors']) {
    await mkdir(join(root, 'src', folder), { recursive: true });
    for (const name of await readdir(join(srcFolder, folder))) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      const output = ts.transpileModule(await readFile(join(srcFolder, folder, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      await writeFile(join(root, 'src', folder, name.replace(/\.ts$/, '.js')), output.outputText);
    }
  }
}

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

/** Open the page in headless Chromium, wait for its `/report?<json>` request, stop Chromium by its pid. */
async function reportFromChromium(url: string): Promise<unknown> {
  const profile = await mkdtemp(join(tmpdir(), 'reprokit-chromium-'));
  const browser = spawn(
    chromium!,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--user-data-dir=${profile}`,
      url,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => browser.once('exit', resolve));
  try {
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && browser.exitCode === null) {
      const report = server.requests.find((request) => request.path.startsWith('/report?'));
      if (report !== undefined) {
        return JSON.parse(decodeURIComponent(report.path.slice('/report?'.length)));
      }
      await new Promise((wake) => setTimeout(wake, 50));
    }
    throw new Error(`no report from the page (Chromium exit code ${browser.exitCode})`);
  } finally {
    browser.kill('SIGTERM');
    await exited;
    // Chromium's helper processes may still write to the profile for a moment after it exits.
    await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

describe.skipIf(chromium === undefined)(
  `httpSource in Chromium against gzipped 206 answers${chromium === undefined ? ' (skipped: Chromium is not installed; run scripts/install-system-packages.sh)' : ''}`,
  () => {
    beforeAll(async () => {
      server = await startGzipRangeServer();
      await publishSources(server.root);
      await writeFile(join(server.root, 'page.html'), page);
      await writeFile(join(server.root, 'data.bin'), patternBytes(300_000, 91));
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('fails with SOURCE_READ_FAILED (the browser refuses the fetch), never with bytes', async () => {
      const report = (await reportFromChromium(`${server.url}/page.html`)) as {
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
