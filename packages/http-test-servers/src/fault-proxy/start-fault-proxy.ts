import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import type { Fault } from './fault.js';

/** A request as the proxy received it. */
export interface ProxiedRequest {
  /** 0 for the first request this proxy received, then 1, 2, ... */
  readonly index: number;
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

/** What happened to one request. */
export interface ProxyRecord extends ProxiedRequest {
  /** The faults applied (empty: forwarded unchanged). */
  readonly faults: readonly Fault[];
  /** The status sent to the client (undefined when none was, e.g. after a reset). */
  status: number | undefined;
  /** Body bytes written to the client. */
  bodyBytes: number;
}

/**
 * Chooses the fault for each request, or several that combine (`ignore-range` with
 * `truncate`); `undefined` forwards the request unchanged.
 */
export type FaultPlan = (request: ProxiedRequest) => Fault | readonly Fault[] | undefined;

export interface FaultProxy {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly records: ProxyRecord[];
  /** Replace the plan for the requests that follow. */
  setPlan(plan: FaultPlan | undefined): void;
  /** Close the server and every connection (stalled ones included). */
  stop(): Promise<void>;
}

export interface StartFaultProxyOptions {
  /** The server to forward to, e.g. nginx's `url`. */
  readonly upstream: string;
  readonly plan?: FaultPlan;
}

/**
 * An HTTP proxy on a free port of 127.0.0.1 that forwards to `upstream` and injects the
 * fault `plan` picks for each request: resets before or during the body, an ignored Range,
 * a replaced file, changed or missing validators, delays and stalls, error statuses, wrong
 * Content-Length, short or long bodies, redirects. It records each request (headers
 * included) and what it sent, so tests can check what reached the server.
 *
 * @example
 * const proxy = await startFaultProxy({
 *   upstream: nginx.url,
 *   plan: ({ index }) => (index === 1 ? { kind: 'reset', afterBytes: 1000 } : undefined),
 * });
 */
export async function startFaultProxy(options: StartFaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  let plan = options.plan;
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const proxied: ProxiedRequest = {
      index: records.length,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
    };
    const chosen = plan?.(proxied);
    const faults: readonly Fault[] =
      chosen === undefined ? [] : Array.isArray(chosen) ? chosen : [chosen as Fault];
    const record: ProxyRecord = { ...proxied, faults, status: undefined, bodyBytes: 0 };
    records.push(record);
    void handle(request, response, record).catch(() => {
      request.socket.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    record: ProxyRecord,
  ) => {
    const find = findFault(record.faults);
    const delay = find('delay');
    if (delay !== undefined) await sleep(delay.milliseconds);
    if (find('reset-before-response') !== undefined) {
      request.socket.destroy();
      return;
    }
    if (find('stall') !== undefined) return;
    const status = find('status');
    if (status !== undefined) {
      record.status = status.status;
      response.writeHead(status.status, { 'content-length': '0', ...status.headers });
      response.end();
      return;
    }
    const redirect = find('redirect');
    if (redirect !== undefined) {
      record.status = redirect.status ?? 302;
      response.writeHead(record.status, { location: redirect.location, 'content-length': '0' });
      response.end();
      return;
    }
    const headers: OutgoingHttpHeaders = { ...request.headers, host: upstream.host };
    if (find('ignore-range') !== undefined) {
      delete headers.range;
      delete headers['if-range'];
    }
    const path = find('serve-path')?.path ?? record.path;
    const upstreamRequest = httpRequest({
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path,
      headers,
    });
    response.once('close', () => upstreamRequest.destroy());
    upstreamRequest.once('error', () => request.socket.destroy());
    upstreamRequest.end();
    const answer = await new Promise<IncomingMessage>((resolve) =>
      upstreamRequest.once('response', resolve),
    );
    await relay(answer, response, record);
  };

  const relay = async (answer: IncomingMessage, response: ServerResponse, record: ProxyRecord) => {
    const find = findFault(record.faults);
    const headers: OutgoingHttpHeaders = { ...answer.headers };
    const etag = find('rewrite-etag');
    if (etag !== undefined) headers.etag = etag.etag;
    if (find('strip-validators') !== undefined) {
      delete headers.etag;
      delete headers['last-modified'];
    }
    const total = find('content-range-total');
    if (total !== undefined && typeof headers['content-range'] === 'string') {
      headers['content-range'] = headers['content-range'].replace(/\/\d+$/, `/${total.total}`);
    }
    const contentLength = find('content-length');
    if (contentLength !== undefined) headers['content-length'] = String(contentLength.value);
    const truncate = find('truncate');
    const append = find('append');
    if (truncate !== undefined || append !== undefined) delete headers['content-length'];
    record.status = answer.statusCode ?? 502;
    response.writeHead(record.status, headers);
    if (find('stall-body') !== undefined) {
      response.flushHeaders();
      answer.destroy();
      return;
    }
    const reset = find('reset');
    const slow = find('slow-body');
    const socket = response.socket;
    for await (const piece of answer as AsyncIterable<Buffer>) {
      let chunk = piece;
      if (reset !== undefined && record.bodyBytes + chunk.length >= reset.afterBytes) {
        const part = chunk.subarray(0, Math.max(0, reset.afterBytes - record.bodyBytes));
        record.bodyBytes += part.length;
        response.flushHeaders();
        // Let the partial bytes leave, then reset the connection.
        response.write(part, () => socket?.resetAndDestroy());
        answer.destroy();
        return;
      }
      if (truncate !== undefined && record.bodyBytes + chunk.length >= truncate.bytes) {
        chunk = chunk.subarray(0, Math.max(0, truncate.bytes - record.bodyBytes));
        record.bodyBytes += chunk.length;
        response.end(chunk);
        answer.destroy();
        return;
      }
      if (slow !== undefined) {
        for (let offset = 0; offset < chunk.length; offset += slow.chunkBytes) {
          const part = chunk.subarray(offset, offset + slow.chunkBytes);
          record.bodyBytes += part.length;
          if (!response.write(part)) await drained(response);
          await sleep(slow.milliseconds);
        }
        continue;
      }
      record.bodyBytes += chunk.length;
      if (!response.write(chunk)) await drained(response);
    }
    if (append !== undefined) {
      record.bodyBytes += append.bytes;
      response.write(new Uint8Array(append.bytes).fill(0x5a));
    }
    if (contentLength !== undefined) {
      // The framing is wrong on purpose: close the connection so it is not reused.
      response.end(() => socket?.destroy());
      return;
    }
    response.end();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    records,
    setPlan(next) {
      plan = next;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}

/** Finds the fault of one kind among those chosen for a request. */
function findFault(faults: readonly Fault[]) {
  return <K extends Fault['kind']>(kind: K): Extract<Fault, { kind: K }> | undefined =>
    faults.find((fault): fault is Extract<Fault, { kind: K }> => fault.kind === kind);
}
