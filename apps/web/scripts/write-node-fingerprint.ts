/**
 * Train the page's MLP job in Node, in the demo's own training process, and write the
 * fingerprints of its initial and trained weights into src/node-training-result.ts, which the page shows next to its own:
 *   npx -y pnpm@10.34.9 --filter @reprokit/web node-fingerprint
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { runTrainWorker } from '@reprokit/demo/train-worker-runner';
import { NODE_TRAINING_JOB } from '../src/page-training-plan.ts';

const target = fileURLToPath(new URL('../src/node-training-result.ts', import.meta.url));
const [trained, initial] = await Promise.all([
  runTrainWorker(NODE_TRAINING_JOB),
  runTrainWorker({ ...NODE_TRAINING_JOB, epochs: 0 }),
]);
const source = await readFile(target, 'utf8');
const updated = source
  .replace(/(NODE_MLP_FINGERPRINT =\s*')[0-9a-f]{64}'/, `$1${trained.fingerprint}'`)
  .replace(/(NODE_MLP_INITIAL_FINGERPRINT =\s*')[0-9a-f]{64}'/, `$1${initial.fingerprint}'`);
await writeFile(target, updated);
console.log(`${JSON.stringify(NODE_TRAINING_JOB)}`);
console.log(`  initial weights ${initial.fingerprint}`);
console.log(
  `  trained ${trained.fingerprint} (test accuracy ${(trained.testAccuracy * 100).toFixed(1)}%)`,
);
