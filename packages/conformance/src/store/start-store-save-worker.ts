import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const workerScript = fileURLToPath(new URL('./store-save-worker.ts', import.meta.url));

/** How a save worker ended. */
export interface StoreWorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Everything it printed, for messages. */
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `store-save-worker.ts` child that has built its fixture and waits for `go`. */
export interface StoreSaveWorker {
  /** Start the save. */
  go(): void;
  /** Resolves when the child prints `paused <stage>`; rejects if it exits first. */
  paused(): Promise<void>;
  /** SIGKILL the child (a no-op if it exited) and wait until it is gone. */
  kill(): Promise<StoreWorkerExit>;
  readonly exited: Promise<StoreWorkerExit>;
}

/**
 * Spawn a save worker and resolve once it is ready (fixture and checkpoint built), so that
 * what follows `go` is the save alone.
 *
 * @example
 * const worker = await startStoreSaveWorker(fixtureUrl, 'safetensorsFixture', path, 2, 'staged');
 * worker.go();
 * await worker.paused();
 * await worker.kill();
 */
export function startStoreSaveWorker(
  fixtureModule: URL,
  exportName: string,
  entryPath: string,
  version: number,
  pauseAt: string | undefined,
  alternate = false,
): Promise<StoreSaveWorker> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@reprokit/source',
      '--import',
      'tsx',
      workerScript,
      fixtureModule.href,
      exportName,
      entryPath,
      String(version),
      pauseAt ?? '-',
      alternate ? 'alternate' : 'usual',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: fileURLToPath(new URL('../..', import.meta.url)) },
  );
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const exited = new Promise<StoreWorkerExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) {
      if (stdout.includes(waiter.text)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (stdout.includes(text)) {
        resolve();
        return;
      }
      waiters.push({ text, resolve });
      exited.then((exit) => {
        if (!stdout.includes(text)) {
          reject(
            new Error(
              `save worker exited (code ${exit.code}, signal ${exit.signal}) before printing "${text.trim()}"\nstdout:\n${exit.stdout}\nstderr:\n${exit.stderr}`,
            ),
          );
        }
      });
    });
  return printed('ready\n').then(() => ({
    go: () => {
      child.stdin!.write('go\n');
    },
    paused: () => printed(`paused ${pauseAt}\n`),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    exited,
  }));
}
