/**
 * What the fault proxy does to one request. Without a fault it forwards the request to the
 * upstream server and the answer back unchanged.
 */
export type Fault =
  /** Close the connection before any answer. */
  | { readonly kind: 'reset-before-response' }
  /** Send the answer's headers and `afterBytes` body bytes, then reset the connection. */
  | { readonly kind: 'reset'; readonly afterBytes: number }
  /** Forward without Range and If-Range: the upstream answers 200 with the whole file. */
  | { readonly kind: 'ignore-range' }
  /** Ask the upstream for another path: the file was replaced on the server. */
  | { readonly kind: 'serve-path'; readonly path: string }
  /** Replace the answer's ETag. */
  | { readonly kind: 'rewrite-etag'; readonly etag: string }
  /** Remove ETag and Last-Modified from the answer (a server without validators). */
  | { readonly kind: 'strip-validators' }
  /** Replace the total in the answer's Content-Range (the file's size changed). */
  | { readonly kind: 'content-range-total'; readonly total: number }
  /** Wait before forwarding the request (a slow server). */
  | { readonly kind: 'delay'; readonly milliseconds: number }
  /** Send the body in pieces of `chunkBytes` with a pause after each (a slow link). */
  | { readonly kind: 'slow-body'; readonly chunkBytes: number; readonly milliseconds: number }
  /** Never answer; the connection stays open until the client gives up. */
  | { readonly kind: 'stall' }
  /** Send headers, then never send the body. */
  | { readonly kind: 'stall-body' }
  /** Answer with this status (5xx, 429, 404, ...) and headers, without asking the upstream. */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Send a Content-Length header with this value; the body is sent unchanged, then the connection is closed. */
  | { readonly kind: 'content-length'; readonly value: number }
  /** Send only the first `bytes` of the body and end it cleanly (chunked, no Content-Length). */
  | { readonly kind: 'truncate'; readonly bytes: number }
  /** Send `bytes` extra bytes after the body (chunked, no Content-Length). */
  | { readonly kind: 'append'; readonly bytes: number }
  /** Answer with a redirect to `location` (absolute, or a path on this proxy). */
  | { readonly kind: 'redirect'; readonly location: string; readonly status?: number };

export type FaultKind = Fault['kind'];
