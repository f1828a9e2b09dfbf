import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { StaticServer } from './static-server.js';

/** A request as the server received it. */
export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A server that gzips every answer, 206 included, whatever `Accept-Encoding` says, as some CDNs
 * do: the `Content-Range` counts the file's bytes, the body is those bytes gzipped and
 * `Content-Length` counts the gzipped bytes. Strong ETag (a content hash).
 */
export async function startGzipRangeServer(): Promise<
  StaticServer & { readonly requests: ReceivedRequest[] }
> {
  const root = await mkdtemp(join(tmpdir(), 'reprokit-gzip-range-'));
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (request, response) => {
    requests.push({ path: request.url!, headers: request.headers });
    let bytes: Buffer;
    try {
      bytes = await readFile(
        join(root, decodeURIComponent(new URL(request.url!, 'http://x').pathname)),
      );
    } catch {
      response.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    // A page and its module scripts are served too (the browser test): they need their types.
    const type = /\.(html|js)$/.exec(request.url!)?.[1];
    const contentType =
      type === undefined
        ? {}
        : { 'content-type': type === 'html' ? 'text/html' : 'text/javascript' };
    const etag = `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
    const match = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const ifRange = request.headers['if-range'];
    // An empty file has no range to serve: the whole (empty) file, as nginx does.
    if (bytes.length === 0 || match === null || (ifRange !== undefined && ifRange !== etag)) {
      const body = gzipSync(bytes);
      response.writeHead(200, {
        ...contentType,
        etag,
        'content-encoding': 'gzip',
        'content-length': String(body.length),
        'accept-ranges': 'bytes',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }
    const first = Number(match[1]);
    const last = Math.min(match[2] === '' ? bytes.length - 1 : Number(match[2]), bytes.length - 1);
    const body = gzipSync(bytes.subarray(first, last + 1));
    response.writeHead(206, {
      etag,
      'content-encoding': 'gzip',
      'content-range': `bytes ${first}-${last}/${bytes.length}`,
      'content-length': String(body.length),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    name: 'node-gzip-206',
    url: `http://127.0.0.1:${address.port}`,
    root,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
