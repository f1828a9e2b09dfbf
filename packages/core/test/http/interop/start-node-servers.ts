import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
// @ts-expect-error http-server ships no types; its lib exports createServer(options).
import * as httpServerModule from 'http-server';
import serveHandler from 'serve-handler';
import sirv from 'sirv';
import type { StaticServer } from './static-server.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

async function stopServer(server: Server, root: string): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
}

async function startWith(
  name: string,
  makeListener: (root: string) => RequestListener,
): Promise<StaticServer> {
  const root = await mkdtemp(join(tmpdir(), `reprokit-${name}-`));
  const server = createServer(makeListener(root));
  const url = await listen(server);
  return { name, url, root, stop: () => stopServer(server, root) };
}

/** `express` with `express.static` (the `send` module). */
export const startExpressStatic = () =>
  startWith('express-static', (root) => {
    const app = express();
    app.use(express.static(root));
    return app;
  });

/**
 * Vercel's `serve-handler` (what `npx serve` runs). It rejects for a file name with non-ASCII
 * letters (it puts the name into a Content-Disposition header, which Node refuses); answered
 * here with a 500, as a framework around it would.
 */
export const startServeHandler = () =>
  startWith('serve-handler', (root) => (request, response) => {
    serveHandler(request, response, { public: root }).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-length': '0' });
      response.end();
    });
  });

/**
 * `sirv` in production mode, which lists the folder once when created: a new handler per
 * request, so files the checks write after the start are served too.
 */
const sirvPerRequest =
  (root: string, options: Parameters<typeof sirv>[1]): RequestListener =>
  (request, response) =>
    sirv(root, options)(request, response);

/** `sirv` with its defaults (no ETag unless asked). */
export const startSirv = () => startWith('sirv', (root) => sirvPerRequest(root, {}));

/** `sirv` with `etag: true`. */
export const startSirvWithEtag = () =>
  startWith('sirv-etag', (root) => sirvPerRequest(root, { etag: true }));

/** `http-server` (the npm package), started in-process with its defaults. */
export async function startHttpServer(): Promise<StaticServer> {
  const name = 'http-server';
  const root = await mkdtemp(join(tmpdir(), `reprokit-${name}-`));
  const create = (httpServerModule as { createServer: (options: object) => { server: Server } })
    .createServer;
  const { server } = create({ root, cache: -1, showDir: false, logFn: undefined });
  const url = await listen(server);
  return { name, url, root, stop: () => stopServer(server, root) };
}
