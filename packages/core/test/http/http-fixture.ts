import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ByteSourceError, ReprokitError } from '../../src/index.js';

/** Deterministic bytes in which every 4-byte window differs, so a misplaced range shows. */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = (0x9e3779b9 ^ seed) >>> 0;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + index) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

let fileCount = 0;

/**
 * Write `bytes` under `root` with a new name and a modification time of its own: nginx's ETag
 * is the mtime (in seconds) and the size, so two files written within one second with the
 * same size would otherwise share an ETag. Returns the URL path (`/name`).
 */
export async function serveFile(root: string, bytes: Uint8Array, name?: string): Promise<string> {
  const file = name ?? `file-${process.pid}-${fileCount}.bin`;
  fileCount++;
  await writeFile(join(root, file), bytes);
  const seconds = 1_700_000_000 + fileCount * 10;
  await utimes(join(root, file), seconds, seconds);
  return `/${file}`;
}

/** The rejection of `promise`, which must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ByteSourceError> {
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error('expected a rejection');
  return outcome.error as ByteSourceError;
}

/** The rejection of `promise`, which must be a ByteSourceError with `code`. */
export async function expectCode(
  promise: Promise<unknown>,
  code: string,
): Promise<ByteSourceError> {
  const error = await rejectionOf(promise);
  if (!ReprokitError.isInstance(error) || error.code !== code) {
    throw new Error(`expected ${code}, got ${String(error)}`, { cause: error });
  }
  return error;
}

/** Equal bytes, compared without printing megabytes on failure. */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected);
}
