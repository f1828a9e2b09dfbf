/*
 * `pnpm fuzz`: a longer fuzz campaign than the one in `pnpm test`, with a random seed that is
 * printed first, so any failure can be replayed:
 *
 *   pnpm --filter @reprokit/reliability fuzz [--seed <n>] [--runs <cases per reader>] [--only <name part>]
 *   REPROKIT_FUZZ_SEED=<n> pnpm --filter @reprokit/reliability test   (replays in the test suite)
 *
 * Default: 50,000 cases for each in-memory reader (decode, the ONNX and tfjs stores), 10,000 for
 * each file-based one (safetensors files, sharded checkpoints on disk).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { onnxStore } from '@reprokit/onnxruntime';
import { tfjsArtifactsStore } from '@reprokit/tfjs';
import { smallOnnx } from '../src/fixtures/small-onnx.js';
import { smallTfjsFiles } from '../src/fixtures/small-tfjs.js';
import { fuzzFolder } from '../src/fuzz/fuzz-folder.js';
import {
  safetensorsDecodeTarget,
  safetensorsFileTarget,
  shardedSafetensorsTarget,
  smallShardedFiles,
  storeTarget,
} from '../src/fuzz/fuzz-targets.js';
import { type FuzzTarget, runFuzz, summarizeFuzz } from '../src/fuzz/run-fuzz.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
const runs = option('runs') === undefined ? undefined : Number(option('runs'));
const only = option('only');
console.log(`fuzz seed ${seed} (replay: --seed ${seed})`);

const dir = await fuzzFolder('campaign');
const onnx = smallOnnx();
const targets: Array<[FuzzTarget<never>, number]> = [
  [safetensorsDecodeTarget() as FuzzTarget<never>, 50_000],
  [
    storeTarget(
      onnxStore(),
      new Map([
        ['model.onnx', onnx.model],
        [onnx.location, onnx.externalData],
      ]),
      'model.onnx',
    ) as FuzzTarget<never>,
    50_000,
  ],
  [safetensorsFileTarget(join(dir, 'file')) as FuzzTarget<never>, 10_000],
  [
    shardedSafetensorsTarget(
      join(dir, 'sharded'),
      await smallShardedFiles(join(dir, 'scratch')),
    ) as FuzzTarget<never>,
    10_000,
  ],
  [storeTarget(tfjsArtifactsStore(), smallTfjsFiles(), 'model.json') as FuzzTarget<never>, 50_000],
];
let failed = false;
try {
  for (const [target, defaultRuns] of targets) {
    if (only !== undefined && !target.name.includes(only)) continue;
    const started = performance.now();
    try {
      const stats = await runFuzz(target, { seed, numRuns: runs ?? defaultRuns });
      console.log(`${summarizeFuzz(stats)} [${Math.round(performance.now() - started)} ms]`);
    } catch (error) {
      failed = true;
      console.error(`FAILED ${target.name} with seed ${seed}:\n${(error as Error).message}`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
