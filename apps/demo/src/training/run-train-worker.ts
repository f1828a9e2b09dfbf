import { spawn } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DemoError } from '../cli/demo-error.js';
import type { TrainJob, TrainResult } from './train-job.js';

// The worker sits beside this folder's parent: dist/train-worker.js when built, or
// src/train-worker.ts when the demo runs from source (tests, `--import tsx`).
const workerPath = fileURLToPath(
  new URL(`../train-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * Run `job` in a new Node process (the same Node binary and flags as this one, so a demo run
 * from TypeScript sources spawns the worker from sources too) and return its result.
 * A non-zero exit or unreadable output throws `DemoError` with the child's stderr.
 *
 * @example
 * const result = await runTrainWorker({ model: 'mlp', backend: 'wasm', seed: 42,
 *   trainCount: 2000, testCount: 500, epochs: 2 });
 */
export function runTrainWorker(job: TrainJob): Promise<TrainResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags(), workerPath, JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (cause) =>
      reject(
        new DemoError({
          code: 'DEMO_WORKER_FAILED',
          message: `cannot start the training process: ${cause.message}`,
          file: workerPath,
          cause,
        }),
      ),
    );
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(
          new DemoError({
            code: 'DEMO_WORKER_FAILED',
            message: `training process (${describe(job)}) exited with ${signal ?? `code ${code}`}:\n${stderr.trim()}`,
            file: workerPath,
          }),
        );
        return;
      }
      const lastLine = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(lastLine) as TrainResult);
      } catch (cause) {
        reject(
          new DemoError({
            code: 'DEMO_WORKER_OUTPUT',
            message: `training process (${describe(job)}) printed no JSON result: ${JSON.stringify(lastLine.slice(0, 200))}`,
            file: workerPath,
            cause,
          }),
        );
      }
    });
  });
}

/**
 * This process' Node flags, plus what a TypeScript worker needs when this process was not
 * started with tsx (a test runner that compiles on its own).
 */
function nodeFlags(): string[] {
  const flags = [...process.execArgv];
  const hasTsx = flags.some(
    (flag, index) => flag === '--import=tsx' || (flag === '--import' && flags[index + 1] === 'tsx'),
  );
  if (workerPath.endsWith('.ts') && !hasTsx) {
    flags.push('--conditions=@reprokit/source', '--import', 'tsx');
  }
  return flags;
}

function describe(job: TrainJob): string {
  return `${job.model} on ${job.backend}, seed ${job.seed}, epochs ${job.epochs}`;
}
