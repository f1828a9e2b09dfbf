import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder for a file-based fuzzer: in `/dev/shm` (memory-backed) when the machine has
 * it, as a fuzz case rewrites small files thousands of times, else in `os.tmpdir()`.
 *
 * @example
 * const dir = await fuzzFolder('tfjs');
 */
export function fuzzFolder(label: string): Promise<string> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  return mkdtemp(join(base, `reprokit-fuzz-${label}-`));
}
