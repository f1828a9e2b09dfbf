import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's own python3, which has h5py and NumPy (scripts/install-system-packages.sh). */
export const PYTHON = '/usr/bin/python3';
export const PYTHON_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'python');

/** Why the h5py tests cannot run here, or `undefined` when they can. */
export function h5pyMissing(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing (run scripts/install-system-packages.sh)`;
  const probe = spawnSync(PYTHON, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
  return probe.status === 0
    ? undefined
    : 'h5py or NumPy is missing (run scripts/install-system-packages.sh)';
}

/** Runs a script of test/python with /usr/bin/python3; returns its parsed JSON output. */
export function runPython<T>(
  script: string,
  args: readonly string[],
): { status: number; output: T; stderr: string } {
  const result = spawnSync(PYTHON, [join(PYTHON_DIR, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  let output: T;
  try {
    output = JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(
      `${script} printed no JSON (status ${result.status}): ${result.stdout}\n${result.stderr}`,
    );
  }
  return { status: result.status ?? -1, output, stderr: result.stderr };
}
