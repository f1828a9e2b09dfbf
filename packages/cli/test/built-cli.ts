import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built binary; the package's turbo `test` task builds it first. */
export const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Fail the suite at once, with the fix, when the CLI has not been built. */
export function requireBuiltCli(): void {
  if (!existsSync(binPath)) {
    throw new Error(
      `${binPath} is missing: build the CLI first (npx -y pnpm@10.34.9 --filter @reprokit/cli... build, or turbo run test which builds it)`,
    );
  }
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `node dist/bin.js ...args` as a child process and collect what it printed. */
export function runBuiltCli(
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: unknown; signal?: NodeJS.Signals }) | null;
        resolve({
          code: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}
