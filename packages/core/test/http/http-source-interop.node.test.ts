/*
 * httpSource against real static file servers, one matrix of checks for all of them: Node's
 * express.static (send), http-server, serve-handler and sirv from npm; python3 -m http.server
 * (no Range support); a hand-rolled server that gzips its 206 answers as some CDNs do; one that
 * applies Apache's rules for a file modified "just now"; and Debian's Apache (mod_deflate on
 * for every type), lighttpd and Caddy when installed (`pnpm --filter @reprokit/core
 * test:interop` installs them and runs this file). The expected outcome of every cell is
 * written below; docs/remote-sources.md holds the same matrix.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSource } from '../../src/index.js';
import { expectCode, patternBytes } from './http-fixture.js';
import {
  type CheckOutcome,
  type InteropCheckName,
  interopChecks,
} from './interop/interop-checks.js';
import { startFreshFileServer } from './interop/start-fresh-file-server.js';
import { startGzipRangeServer } from './interop/start-gzip-range-server.js';
import {
  startExpressStatic,
  startHttpServer,
  startServeHandler,
  startSirv,
  startSirvWithEtag,
} from './interop/start-node-servers.js';
import {
  installed,
  startApache,
  startCaddy,
  startLighttpd,
  startPythonHttpServer,
} from './interop/start-process-servers.js';
import type { StaticServer } from './interop/static-server.js';

type Expected = Record<InteropCheckName, CheckOutcome>;

/** A server that serves ranges and sends a validator: every check reads the right bytes. */
const rangeServer: Expected = {
  'safetensors header + tensor by range': 'ok',
  'small JSON file whole': 'ok',
  '404': 'SOURCE_HTTP_STATUS',
  'file replaced between requests': 'SOURCE_CHANGED',
  '300 kB file, maxWholeBodyBytes 100 000': 'ok',
  'file modified "now" (mtime ahead)': 'ok',
  'empty file': 'ok',
  'percent-encoded name': 'ok',
};

interface MatrixRow {
  readonly start: () => Promise<StaticServer>;
  readonly expected: Expected;
  /** Why the row is skipped, when it is. */
  readonly skip?: string;
}

const notInstalled = (binary: Parameters<typeof installed>[0]) =>
  installed(binary)
    ? undefined
    : `${binary} is not installed (pnpm --filter @reprokit/core test:interop installs it)`;

const matrix: Record<string, MatrixRow> = {
  'express.static (send)': { start: startExpressStatic, expected: rangeServer },
  'http-server': { start: startHttpServer, expected: rangeServer },
  'serve-handler': {
    start: startServeHandler,
    // serve-handler fails on a non-ASCII name (500, retried, then given up).
    expected: { ...rangeServer, 'percent-encoded name': 'SOURCE_READ_FAILED' },
  },
  sirv: { start: startSirv, expected: rangeServer },
  'sirv (etag: true)': { start: startSirvWithEtag, expected: rangeServer },
  'python3 -m http.server': {
    start: startPythonHttpServer,
    expected: {
      // Read whole at open (200), served from memory afterwards.
      'safetensors header + tensor by range': 'ok',
      'small JSON file whole': 'ok',
      '404': 'SOURCE_HTTP_STATUS',
      // The whole old version was read at open: its bytes, never a mix.
      'file replaced between requests': 'ok',
      '300 kB file, maxWholeBodyBytes 100 000': 'SOURCE_RANGE_UNSUPPORTED',
      'file modified "now" (mtime ahead)': 'ok',
      'empty file': 'ok',
      'percent-encoded name': 'ok',
    },
  },
  'gzip on 206 (hand-rolled)': {
    start: startGzipRangeServer,
    expected: {
      'safetensors header + tensor by range': 'SOURCE_RANGE_UNSUPPORTED',
      'small JSON file whole': 'SOURCE_RANGE_UNSUPPORTED',
      '404': 'SOURCE_HTTP_STATUS',
      'file replaced between requests': 'SOURCE_RANGE_UNSUPPORTED',
      '300 kB file, maxWholeBodyBytes 100 000': 'SOURCE_RANGE_UNSUPPORTED',
      'file modified "now" (mtime ahead)': 'SOURCE_RANGE_UNSUPPORTED',
      // The empty file is sent whole (200, gzipped): read and decoded by fetch.
      'empty file': 'ok',
      'percent-encoded name': 'SOURCE_RANGE_UNSUPPORTED',
    },
  },
  "Apache's If-Range rules (hand-rolled)": { start: startFreshFileServer, expected: rangeServer },
  'apache2 (mod_deflate on)': {
    start: startApache,
    expected: rangeServer,
    skip: notInstalled('apache2'),
  },
  'lighttpd (stat cache off)': {
    start: startLighttpd,
    expected: rangeServer,
    skip: notInstalled('lighttpd'),
  },
  caddy: { start: startCaddy, expected: rangeServer, skip: notInstalled('caddy') },
};

for (const [serverName, row] of Object.entries(matrix)) {
  describe.skipIf(row.skip !== undefined)(
    `httpSource against ${serverName}${row.skip === undefined ? '' : ` (skipped: ${row.skip})`}`,
    () => {
      let server: StaticServer;
      beforeAll(async () => {
        server = await row.start();
      });
      afterAll(async () => {
        await server?.stop();
      });

      for (const [checkName, run] of Object.entries(interopChecks)) {
        const expected = row.expected[checkName as InteropCheckName];
        it(`${checkName}: ${expected}`, async () => {
          const result = await run(server);
          expect(
            result.outcome,
            `answers ${result.statuses}, ranges ${result.ranges.join(' ')}`,
          ).toBe(expected);
          // One contiguous range per request: multipart/byteranges never comes into play.
          for (const range of result.ranges) expect(range).toMatch(/^bytes=\d+-\d+$/);
        });
      }
    },
  );
}

describe('httpSource against a server that gzips 206 answers, in Node', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startGzipRangeServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('names the encoding, the URL and the byte range it refuses', async () => {
    await writeFile(join(server.root, 'gzipped.bin'), patternBytes(300_000, 6));
    const error = await expectCode(
      httpSource(`${server.url}/gzipped.bin`),
      'SOURCE_RANGE_UNSUPPORTED',
    );
    expect(error.message).toContain(
      'the server sent bytes 0-63999 with Content-Encoding "gzip" although identity was asked for',
    );
    expect(error.file).toBe(`${server.url}/gzipped.bin`);
    expect(error.byteOffset).toBe(0);
    expect(error.status).toBe(206);
  });
});
