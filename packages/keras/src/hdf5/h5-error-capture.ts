import type { H5Module } from './h5-module.js';

/** What one HDF5 call left behind: the error stack HDF5 printed, if any. */
export interface H5CallResult<T> {
  readonly value: T;
  /** HDF5's error stack text, or `undefined` when the call printed nothing. */
  readonly hdf5Error: string | undefined;
}

const CAPTURE_PATH = '/tmp/.reprokit-hdf5-stderr';
const captures = new WeakMap<H5Module, { stream: unknown; node: MemfsNode }>();

interface MemfsNode {
  contents: Uint8Array | null;
  usedBytes: number;
}

interface CaptureFs {
  streams: unknown[];
  open(path: string, flags: string): { node: MemfsNode; position: number };
  truncate(path: string, length: number): void;
}

/**
 * Runs `call` with the module's stderr (fd 2) pointed at an in-memory file, and returns what
 * HDF5 printed there. HDF5 reports every failed API call by printing its error stack to stderr;
 * capturing it keeps the console clean and lets reprokit turn the stack into a typed error.
 * The swap is synchronous, so no other code sees the redirected stream. A JavaScript exception
 * thrown by `call` propagates with the captured text attached as `hdf5Error`.
 */
export function withHdf5Errors<T>(module: H5Module, call: () => T): H5CallResult<T> {
  const fs = module.FS as unknown as CaptureFs;
  let capture = captures.get(module);
  if (capture === undefined) {
    const stream = fs.open(CAPTURE_PATH, 'w+');
    capture = { stream, node: stream.node };
    captures.set(module, capture);
  }
  const original = fs.streams[2];
  fs.streams[2] = capture.stream;
  let value: T;
  try {
    value = call();
  } catch (error) {
    const text = takeCaptured(fs, capture);
    if (text !== undefined && typeof error === 'object' && error !== null) {
      (error as { hdf5Error?: string }).hdf5Error = text;
    }
    throw error;
  } finally {
    fs.streams[2] = original;
  }
  return { value, hdf5Error: takeCaptured(fs, capture) };
}

function takeCaptured(
  fs: CaptureFs,
  capture: { stream: unknown; node: MemfsNode },
): string | undefined {
  const { node } = capture;
  if (node.usedBytes === 0 || node.contents === null) return undefined;
  const text = new TextDecoder().decode(node.contents.subarray(0, node.usedBytes));
  fs.truncate(CAPTURE_PATH, 0);
  (capture.stream as { position: number }).position = 0;
  return text;
}

/**
 * The most specific line of an HDF5 error stack: the description of its deepest entry
 * (`file signature not found`, `truncated file: eof = 96, ...`).
 *
 * @example
 * hdf5ErrorSummary(stack); // 'truncated file: eof = 800, sblock->base_addr = 0, stored_eof = 2552'
 */
export function hdf5ErrorSummary(stack: string): string {
  const entries = [...stack.matchAll(/#\d+: .*? in [^(]*\(\): (.*)$/gm)];
  const last = entries.at(-1)?.[1] ?? stack.trim().split('\n').at(-1) ?? 'HDF5 error';
  // Low-level reads add the wall clock, the in-memory file name and pointers: not about the file.
  const stable = last.replace(/:? ?time = .*$/, '').trim();
  if (stable === 'file read failed') {
    return 'file read failed (a damaged structure, such as a global heap collection that would never end, was refused)';
  }
  return stable.length > 300 ? `${stable.slice(0, 300)}...` : stable;
}
