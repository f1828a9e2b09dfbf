/** One request as nginx logged it (the `reprokit` log format of nginx.conf.template). */
export interface AccessLogEntry {
  readonly method: string;
  /** Path and query as requested. */
  readonly uri: string;
  readonly status: number;
  /** Bytes sent to the client: status line, headers and body. */
  readonly bytesSent: number;
  /** Body bytes sent. */
  readonly bodyBytesSent: number;
  /** The request's Range header, or '' without one. */
  readonly range: string;
  readonly ifRange: string;
  /** Whether the request carried an Authorization header (its value is never logged). */
  readonly authorization: boolean;
  /** nginx's connection serial number. */
  readonly connection: number;
  /** Requests served on that connection so far, this one included. */
  readonly connectionRequests: number;
}

/** Parse the access log's text: one JSON object per line. */
export function parseAccessLog(text: string): AccessLogEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AccessLogEntry);
}
