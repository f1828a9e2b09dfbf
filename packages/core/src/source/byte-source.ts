/**
 * Random access to the bytes of one file, wherever it lives: in memory, in a `Blob` or `File`,
 * on a local disk (`fileSource` in `@reprokit/core/node`), on an HTTP server. Readers that
 * need only part of a file (a safetensors header, one tensor) take a `ByteSource`, so the same
 * code serves every place a checkpoint can be.
 *
 * Implementations resolve with exactly the bytes asked for or reject with a `ByteSourceError`;
 * they never return a short read.
 *
 * @example
 * const source = bytesSource(await (await fetch(url)).bytes(), 'model.safetensors');
 * const prefix = await source.read(0, 8);
 */
export interface ByteSource {
  /** Names the file in errors: a path, a URL without credentials, a `File`'s name, `<bytes>`. */
  readonly name: string;
  /** Size in bytes, known once the source is open. */
  readonly size: number;
  /**
   * Read `length` bytes starting at `offset`. Rejects with `SOURCE_OUT_OF_RANGE` when the range
   * is not inside `[0, size)`, `SOURCE_TRUNCATED` or `SOURCE_CHANGED` when the file changed after
   * the source was opened, `SOURCE_CLOSED` after `close()`, and `SOURCE_READ_FAILED` for I/O
   * errors. The result may share memory with the source (an in-memory source returns views):
   * copy it before changing it. With `into`, the bytes are written there instead, and `into`
   * (whose length must be `length`) is returned.
   */
  read(offset: number, length: number, options?: ByteSourceReadOptions): Promise<Uint8Array>;
  /** Release what the source holds (a file handle, connections). Safe to call twice. */
  close(): Promise<void>;
}

export interface ByteSourceReadOptions {
  /** Write the bytes here instead of a new buffer; its length must equal `length`. */
  into?: Uint8Array;
  /** Abandon the read: it rejects with the signal's reason. */
  signal?: AbortSignal;
}
