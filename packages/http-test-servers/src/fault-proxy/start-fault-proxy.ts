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
  readonly fault: Fault | undefined;
  /** The status sent to the client (undefined when none was, e.g. after a reset). */
  status: number | undefined;
  /** Body bytes written to the client. */
  bodyBytes: number;
}

/** Chooses the fault for each request; `undefined` forwards it unchanged. */
export type FaultPlan = (request: ProxiedRequest) => Fault | undefined;

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
    const fault = plan?.(proxied);
    const record: ProxyRecord = { ...proxied, fault, status: undefined, bodyBytes: 0 };
    records.push(record);
    void handle(request, response, fault, record).catch(() => {
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
    fault: Fault | undefined,
    record: ProxyRecord,
  ) => {
    switch (fault?.kind) {
      case 'reset-before-response':
        request.socket.destroy();
        return;
      case 'stall':
        return;
      case 'status':
        record.status = fault.status;
        response.writeHead(fault.status, { 'content-length': '0', ...fault.headers });
        response.end();
        return;
      case 'redirect':
        record.status = fault.status ?? 302;
        response.writeHead(record.status, { location: fault.location, 'content-length': '0' });
        response.end();
        return;
      case 'delay':
        await sleep(fault.milliseconds);
        break;
      default:
        break;
    }
    const headers: OutgoingHttpHeaders = { ...request.headers, host: upstream.host };
    if (fault?.kind === 'ignore-range') {
      delete headers.range;
      delete headers['if-range'];
    }
    const path = fault?.kind === 'serve-path' ? fault.path : record.path;
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
    await relay(answer, response, fault, record);
  };

  const relay = async (
    answer: IncomingMessage,
    response: ServerResponse,
    fault: Fault | undefined,
    record: ProxyRecord,
  ) => {
    const headers: OutgoingHttpHeaders = { ...answer.headers };
    switch (fault?.kind) {
      case 'rewrite-etag':
        headers.etag = fault.etag;
        break;
      case 'strip-validators':
        delete headers.etag;
        delete headers['last-modified'];
        break;
      case 'content-range-total':
        if (typeof headers['content-range'] === 'string') {
          headers['content-range'] = headers['content-range'].replace(/\/\d+$/, `/${fault.total}`);
        }
        break;
      case 'content-length':
        headers['content-length'] = String(fault.value);
        break;
      case 'truncate':
      case 'append':
        delete headers['content-length'];
        break;
      default:
        break;
    }
    record.status = answer.statusCode ?? 502;
    response.writeHead(record.status, headers);
    if (fault?.kind === 'stall-body') {
      response.flushHeaders();
      answer.destroy();
      return;
    }
    const socket = response.socket;
    for await (const piece of answer as AsyncIterable<Buffer>) {
      let chunk = piece;
      if (fault?.kind === 'reset' && record.bodyBytes + chunk.length >= fault.afterBytes) {
        const part = chunk.subarray(0, Math.max(0, fault.afterBytes - record.bodyBytes));
        record.bodyBytes += part.length;
        // Let the partial bytes leave, then reset the connection.
        response.write(part, () => socket?.resetAndDestroy?.() ?? socket?.destroy());
        answer.destroy();
        return;
      }
      if (fault?.kind === 'truncate' && record.bodyBytes + chunk.length >= fault.bytes) {
        chunk = chunk.subarray(0, Math.max(0, fault.bytes - record.bodyBytes));
        record.bodyBytes += chunk.length;
        response.end(chunk);
        answer.destroy();
        return;
      }
      if (fault?.kind === 'slow-body') {
        for (let offset = 0; offset < chunk.length; offset += fault.chunkBytes) {
          const part = chunk.subarray(offset, offset + fault.chunkBytes);
          record.bodyBytes += part.length;
          if (!response.write(part)) await drained(response);
          await sleep(fault.milliseconds);
        }
        continue;
      }
      record.bodyBytes += chunk.length;
      if (!response.write(chunk)) await drained(response);
    }
    if (fault?.kind === 'append') {
      const extra = new Uint8Array(fault.bytes).fill(0x5a);
      record.bodyBytes += extra.length;
      response.write(extra);
    }
    if (fault?.kind === 'content-length') {
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
