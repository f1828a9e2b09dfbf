/**
 * Save and load a model with 256 MiB of weights (16 Dense 2048x2048) through reprokit against
 * the baselines, measured in the same run:
 *
 * - load baselines: a plain read of the same safetensors bytes (`fs.promises.readFile`: the
 *   floor, nothing can load faster than the bytes arrive) and tfjs' own route
 *   (`tf.loadLayersModel(tf.io.fromMemory(...))` after reading model.json and weights.bin);
 * - load candidates: `tf.loadLayersModel(safetensorsIO(path))` and the direct
 *   `loadLayersModelFromSafetensors(tf, path)`; targets for the direct load (issue 17): at least
 *   0.8x the plain read's throughput, peak RSS at most 1.6x the weights;
 * - the same loads for a model whose topology keeps tfjs' default (random) initializers;
 * - save: tfjs' route (`tf.io.withSaveHandler` writing model.json + weights.bin, with and
 *   without fsync) against `model.save(safetensorsIO(path))` and `saveLayersModelToSafetensors`.
 *
 * Every measured operation runs in a fresh child process (`safetensors-io-case.mjs`: its peak RSS
 * is its own, and no run warms another), on the built package as users run it (this file builds
 * it first; plain `node`, no TypeScript loader, whose own ~75 MiB would dominate the peak RSS).
 * The cases alternate round by round so a change in the machine's load hits all of them alike,
 * and the median of the rounds is printed with the ratio to the baseline. Peak RSS is shown
 * whole (the process included: Node and tfjs take about 90 MiB before any weight) and as the
 * growth over the process's RSS just before the operation.
 *
 * Run: npx -y pnpm@10.34.9 --filter @reprokit/tfjs bench
 */
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildPackageForChildren,
  type ChildRunResult,
  median,
  runInChild,
  runRoundsInChildren,
} from './child-process-runs.js';

const LAYERS = 16;
const UNITS = 2048;
const WEIGHT_BYTES = LAYERS * (UNITS * UNITS + UNITS) * 4;
const ROUNDS = 9;
const folder = join(tmpdir(), `reprokit-tfjs-bench-${process.pid}`);
const caseScript = fileURLToPath(new URL('./safetensors-io-case.mjs', import.meta.url));

type CaseName =
  | 'tfjs-save'
  | 'tfjs-save-fsync'
  | 'safetensors-save'
  | 'direct-save'
  | 'plain-read'
  | 'tfjs-load'
  | 'safetensors-load'
  | 'direct-load'
  | 'tfjs-load-default-init'
  | 'safetensors-load-default-init'
  | 'direct-load-default-init';

buildPackageForChildren();
await mkdir(folder, { recursive: true });
try {
  runInChild(caseScript, 'prepare', [folder]);
  const cases: CaseName[] = [
    'plain-read',
    'tfjs-load',
    'safetensors-load',
    'direct-load',
    'tfjs-load-default-init',
    'safetensors-load-default-init',
    'direct-load-default-init',
    'tfjs-save',
    'tfjs-save-fsync',
    'safetensors-save',
    'direct-save',
  ];
  const runs = runRoundsInChildren<CaseName, ChildRunResult>(caseScript, [folder], cases, ROUNDS);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const time = (name: CaseName) => median(runs.get(name)!.map((run) => run.ms));
  const peak = (name: CaseName) => median(runs.get(name)!.map((run) => run.peakRssBytes));
  const growth = (name: CaseName) =>
    median(runs.get(name)!.map((run) => run.peakRssBytes - run.rssBeforeBytes));
  const rssCell = (name: CaseName) =>
    `${mib(peak(name))} (${(peak(name) / WEIGHT_BYTES).toFixed(2)}x); +${mib(growth(name))} (${(growth(name) / WEIGHT_BYTES).toFixed(2)}x)`;
  const row = (label: string, baseline: CaseName, candidate: CaseName) =>
    `| ${label} | ${time(baseline).toFixed(0)} ms | ${time(candidate).toFixed(0)} ms | ${(time(baseline) / time(candidate)).toFixed(2)}x | ${rssCell(baseline)} | ${rssCell(candidate)} |`;
  console.log(
    `weights: ${mib(WEIGHT_BYTES)} (${LAYERS} Dense ${UNITS}x${UNITS}), cpu backend, median of ${ROUNDS} rounds, each run a fresh process, cases alternating`,
  );
  console.log(
    '| baseline -> candidate | baseline | candidate | throughput ratio | baseline peak RSS; growth (x weights) | candidate peak RSS; growth (x weights) |',
  );
  console.log('|---|---|---|---|---|---|');
  const rows: Array<[string, CaseName, CaseName]> = [
    [
      'load: plain read of the bytes -> loadLayersModelFromSafetensors',
      'plain-read',
      'direct-load',
    ],
    ['load: plain read of the bytes -> safetensorsIO', 'plain-read', 'safetensors-load'],
    ['load: tfjs fromMemory -> loadLayersModelFromSafetensors', 'tfjs-load', 'direct-load'],
    ['load: tfjs fromMemory -> safetensorsIO', 'tfjs-load', 'safetensors-load'],
    [
      'load, default initializers: plain read -> loadLayersModelFromSafetensors',
      'plain-read',
      'direct-load-default-init',
    ],
    [
      'load, default initializers: tfjs fromMemory -> loadLayersModelFromSafetensors',
      'tfjs-load-default-init',
      'direct-load-default-init',
    ],
    [
      'load, default initializers: tfjs fromMemory -> safetensorsIO',
      'tfjs-load-default-init',
      'safetensors-load-default-init',
    ],
    ['save: withSaveHandler -> safetensorsIO', 'tfjs-save', 'safetensors-save'],
    ['save: withSaveHandler -> saveLayersModelToSafetensors', 'tfjs-save', 'direct-save'],
    ['save: withSaveHandler + fsync -> safetensorsIO', 'tfjs-save-fsync', 'safetensors-save'],
    [
      'save: withSaveHandler + fsync -> saveLayersModelToSafetensors',
      'tfjs-save-fsync',
      'direct-save',
    ],
  ];
  for (const [label, baseline, candidate] of rows) console.log(row(label, baseline, candidate));
  const ratio = time('plain-read') / time('direct-load');
  const rss = peak('direct-load') / WEIGHT_BYTES;
  console.log(
    `\ndirect load vs plain read: ${ratio.toFixed(2)}x throughput (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'}), peak RSS ${rss.toFixed(2)}x the weights (target <= 1.6: ${rss <= 1.6 ? 'met' : 'MISSED'})`,
  );
  console.log('\nevery run (ms):');
  for (const name of cases) {
    console.log(
      `  ${name.padEnd(30)} ${runs
        .get(name)!
        .map((run) => run.ms.toFixed(0))
        .join(', ')}`,
    );
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
