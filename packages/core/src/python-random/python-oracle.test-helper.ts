/**
 * Runs a Python script as the ground truth for the Python-compatible generators' tests.
 *
 * The script reads one JSON value from stdin (`INPUT`) and prints one JSON value; numbers that
 * are Python floats print with `repr`, which JSON.parse reads back to the same double. NumPy
 * comes from Debian's own python3 (`/usr/bin/python3`, installed by
 * `scripts/install-system-packages.sh`); the pure-`random` tests also run under the `python3`
 * first on PATH when it is another CPython.
 */
import { spawnSync } from 'node:child_process';

/** Debian's python3, with NumPy. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Every distinct CPython 3 on this machine that can run the pure-`random` tests. */
export const PYTHONS: string[] = (() => {
  const found: string[] = [];
  const versions = new Set<string>();
  for (const candidate of [SYSTEM_PYTHON, 'python3']) {
    const result = spawnSync(candidate, ['-c', 'import sys; print(sys.version.split()[0])'], {
      encoding: 'utf8',
    });
    if (result.status === 0 && !versions.has(result.stdout.trim())) {
      versions.add(result.stdout.trim());
      found.push(candidate);
    }
  }
  return found;
})();

/** Whether `/usr/bin/python3` can import NumPy. */
export const HAS_NUMPY =
  spawnSync(SYSTEM_PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

/**
 * Runs `script` with `input` as JSON on stdin (available as `INPUT`) and returns the JSON the
 * script printed with `emit(value)`.
 */
export function runPython<T = unknown>(
  script: string,
  input: unknown = null,
  python: string = SYSTEM_PYTHON,
): T {
  const prelude = [
    'import json, sys',
    'INPUT = json.loads(sys.stdin.read())',
    'def emit(value):',
    '    sys.stdout.write(json.dumps(value))',
  ].join('\n');
  const result = spawnSync(python, ['-c', `${prelude}\n${script}`], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`${python} failed (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** Units in the last place between two doubles (0 when bitwise equal). */
export function ulpDistance(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const x = view.getBigInt64(0);
  const y = view.getBigInt64(8);
  const ordered = (v: bigint) => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
  const d = ordered(x) - ordered(y);
  return Number(d < 0n ? -d : d);
}

/** Units in the last place between two float32 values. */
export function ulpDistance32(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat32(0, a);
  view.setFloat32(4, b);
  const ordered = (v: number) => (v < 0 ? -(v & 0x7fffffff) : v);
  return Math.abs(ordered(view.getInt32(0)) - ordered(view.getInt32(4)));
}
