/**
 * The h5wasm module: HDF5 compiled to WebAssembly, used through its in-memory file system
 * (MEMFS), which works the same in Node, browsers and workers. The ESM build is imported lazily
 * on first use, so importing `@reprokit/keras` costs nothing until a file is read or written.
 */

/** The Emscripten module h5wasm exposes (`(await import('h5wasm')).ready`). */
export type H5Module = Awaited<typeof import('h5wasm')['ready']>;

/** What `options.h5wasm` may be: the `h5wasm` package namespace, or anything with its `ready`. */
export interface H5wasmLike {
  readonly ready: Promise<unknown>;
}

let loading: Promise<H5Module> | undefined;

/**
 * The h5wasm module to use: the one passed in, else the `h5wasm` package's own instance
 * (imported on first call).
 *
 * @example
 * const module = await loadH5Module(); // the h5wasm package's module
 */
export async function loadH5Module(h5wasm?: H5wasmLike): Promise<H5Module> {
  if (h5wasm !== undefined) return (await h5wasm.ready) as H5Module;
  loading ??= import('h5wasm').then((namespace) => namespace.ready);
  return loading;
}
