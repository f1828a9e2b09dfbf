/** A static file server under test, serving the files of `root` at `url`. */
export interface StaticServer {
  readonly name: string;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly root: string;
  stop(): Promise<void>;
}

/** What a server is known to do, which decides what each check of the matrix expects. */
export interface ServerTraits {
  /** It answers `Range` with 206 (else 200 with the whole file). */
  readonly ranges: boolean;
  /** It sends a validator (a strong ETag or a Last-Modified date) that If-Range can use. */
  readonly validator: boolean;
}
