import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StaticServer } from './static-server.js';

/**
 * A range server that treats validators as Apache 2.4 does for a file modified less than a
 * second before the request: its ETag is weak (`W/"<size>-<mtime in µs>"`), and `If-Range`
 * is honoured only for a strong ETag, or a date whose Last-Modified is at least a second
 * before the answer's Date (RFC 9110, section 13.1.5); otherwise the whole file comes back.
 * Files given a modification time in the future stay "fresh" for good, so the tests need no
 * clock.
 */
export async function startFreshFileServer(): Promise<StaticServer> {
  const root = await mkdtemp(join(tmpdir(), 'reprokit-fresh-file-'));
  const server = createServer(async (request, response) => {
    const path = join(root, decodeURIComponent(new URL(request.url!, 'http://x').pathname));
    let bytes: Buffer;
    let mtimeMs: number;
    try {
      [bytes, { mtimeMs }] = await Promise.all([readFile(path), stat(path)]);
    } catch {
      response.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    const now = Date.now();
    const fresh = now - mtimeMs < 1000;
    const tag = `"${bytes.length.toString(16)}-${Math.round(mtimeMs * 1000).toString(16)}"`;
    const lastModified = new Date(Math.floor(mtimeMs / 1000) * 1000).toUTCString();
    const validators = { etag: fresh ? `W/${tag}` : tag, 'last-modified': lastModified };
    const ifRange = request.headers['if-range'];
    const rangeApplies =
      ifRange === undefined || (!fresh && (ifRange === tag || ifRange === lastModified));
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    // An empty file has no range to serve: the whole (empty) file, as nginx does.
    if (bytes.length === 0 || match === null || !rangeApplies) {
      response.writeHead(200, { ...validators, 'content-length': String(bytes.length) });
      response.end(bytes);
      return;
    }
    const first = Number(match[1]);
    const last = Math.min(match[2] === '' ? bytes.length - 1 : Number(match[2]), bytes.length - 1);
    response.writeHead(206, {
      ...validators,
      'content-range': `bytes ${first}-${last}/${bytes.length}`,
      'content-length': String(last + 1 - first),
    });
    response.end(bytes.subarray(first, last + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    name: 'fresh-file (Apache rules)',
    url: `http://127.0.0.1:${address.port}`,
    root,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
