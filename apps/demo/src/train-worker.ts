/**
 * Child-process entry of the demo's training runs (steps 1, 2 and 4 spawn it, so that each
 * run starts from a fresh process: nothing but the seed and the files can carry state).
 * argv[2] is a `TrainJob` as JSON; the `TrainResult` is printed as the last line of stdout.
 */

import type { TrainJob } from './training/train-job.js';
import { trainModel } from './training/train-model.js';

const job = JSON.parse(process.argv[2] ?? '{}') as TrainJob;
try {
  const result = await trainModel(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
}
