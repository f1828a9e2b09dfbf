/**
 * Measured runs of a tfjs benchmark, each in a fresh Node process on the built package, so every
 * run's peak RSS is its own and no run warms another. A case script (`*-case.mjs`) takes the case
 * name and its arguments, measures one operation (see `measure-operation.mjs`) and prints its
 * result as JSON on its last line.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** What every case script reports; a script may add more fields. */
export interface ChildRunResult {
  ms: number;
  /** `maxRSS` of the child: the whole process at its peak. */
  peakRssBytes: number;
  /** RSS just before the operation started. */
  rssBeforeBytes: number;
}

/**
 * Builds the package (`dist/`) from its sources: the children run plain `node` on what users
 * run, without a TypeScript loader whose own memory would dominate the peak RSS.
 */
export function buildPackageForChildren(): void {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}

/** Runs `node <caseScript> <name> ...args` and returns the last line it printed. */
export function runInChild(caseScript: string, name: string, args: readonly string[]): string {
  const result = spawnSync(process.execPath, [caseScript, name, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${name} failed:\n${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1)!;
}

/**
 * Every case once per round, each in its own child; each round starts one case later, so no
 * case always runs first or right after another and a change in the machine's load hits all
 * of them alike. Returns each case's results in round order.
 */
export function runRoundsInChildren<Name extends string, Result extends ChildRunResult>(
  caseScript: string,
  args: readonly string[],
  cases: readonly Name[],
  rounds: number,
): Map<Name, Result[]> {
  const runs = new Map<Name, Result[]>(cases.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let index = 0; index < cases.length; index++) {
      const name = cases[(index + round) % cases.length]!;
      runs.get(name)!.push(JSON.parse(runInChild(caseScript, name, args)) as Result);
    }
  }
  return runs;
}

/** The middle value (the upper one of the two middles for an even count). */
export const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;
