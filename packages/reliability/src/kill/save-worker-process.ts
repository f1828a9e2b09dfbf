import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LargeCheckpointSpec } from '../fixtures/large-checkpoint.js';
import type { SaveFormat } from './save-formats.js';

const workerScript = fileURLToPath(new URL('./save-worker.ts', import.meta.url));
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** How a save worker ended. `savedMs` is set when it finished its save. */
export interface SaveWorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly savedMs: number | undefined;
  /** When the save threw: the ReprokitError code, or `UNTYPED` for any other error. */
  readonly failure: string | undefined;
  readonly stderr: string;
}

/** A running `save-worker.ts` child that has built its checkpoints and waits for `go`. */
export interface SaveWorker {
  readonly pid: number;
  /** Start saving `variant` (1 or 2); returns `performance.now()` at the moment it was sent. */
  go(variant: number): number;
  /** SIGKILL the child (a no-op if it already exited) and wait for it to be gone. */
  kill(): Promise<SaveWorkerExit>;
  /** Resolves when the child exits, however it ends. */
  readonly exited: Promise<SaveWorkerExit>;
}

/**
 * Spawn a save worker for `format` writing into `dir` and resolve once it is ready (both
 * checkpoint variants built in its memory), so that the time between `go` and a kill is spent
 * saving, not starting up.
 *
 * @example
 * const worker = await startSaveWorker('safetensors', dir, KILL_TEST_SPEC);
 * worker.go(2);
 * setTimeout(() => worker.kill(), 300);
 */
export function startSaveWorker(
  format: SaveFormat,
  dir: string,
  spec: LargeCheckpointSpec,
): Promise<SaveWorker> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@reprokit/source',
      '--import',
      'tsx',
      workerScript,
      format,
      dir,
      String(spec.tensorCount),
      String(spec.tensorBytes),
      spec.longerSecondMetadata === true ? 'longer' : 'same',
    ],
    { cwd: packageRoot, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let savedMs: number | undefined;
  let failure: string | undefined;
  const exited = new Promise<SaveWorkerExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, savedMs, failure, stderr }));
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const saved = /saved (\d+)/.exec(stdout);
      if (saved !== null) savedMs = Number(saved[1]);
      const failed = /failed (\w+)/.exec(stdout);
      if (failed !== null) failure = failed[1];
      if (stdout.startsWith('ready\n')) {
        stdout = stdout.slice('ready\n'.length);
        resolve({
          pid: child.pid!,
          go(variant) {
            child.stdin!.write(`go ${variant}\n`);
            return performance.now();
          },
          async kill() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            return exited;
          },
          exited,
        });
      }
    });
    exited.then((exit) => {
      reject(new Error(`save worker exited before it was ready: ${exit.code} ${exit.stderr}`));
    });
  });
}
