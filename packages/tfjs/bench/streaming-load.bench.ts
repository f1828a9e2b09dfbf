/**
 * Streaming a layers model with 256 MiB of weights (16 Dense 2048x2048) into tfjs, layer by
 * layer, against the whole-file load, in the same run:
 *
 * - from nginx (Debian's, on loopback; `@reprokit/http-test-servers`): baseline
 *   `fetch(url).arrayBuffer()` then `loadLayersModelFromSafetensors(tf, bytes)`; candidate
 *   `loadLayersModelFromSafetensors(tf, url)` (range reads, one merged request per layer);
 * - from a file: baseline `readFile` then the load from the bytes; candidate the load from the
 *   path.
 *
 * Memory is the point: peak RSS growth over the process's RSS just before the load, and the peak
 * of `process.memoryUsage().arrayBuffers` (where the cpu backend keeps tensor bytes), both as a
 * multiple of the weights' size. Issue 15's target for the streamed load: at most 1.3x (model +
 * largest layer). Each run is a fresh process on the built package (plain `node`); cases
 * alternate round by round; medians are printed.
 *
 * Run: npx -y pnpm@10.34.9 --filter @reprokit/tfjs bench streaming
 */
import { fileURLToPath } from 'node:url';
import { startNginx } from '@reprokit/http-test-servers';
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
const LARGEST_LAYER_BYTES = (UNITS * UNITS + UNITS) * 4;
const ROUNDS = 5;
const caseScript = fileURLToPath(new URL('./streaming-load-case.mjs', import.meta.url));

type CaseName = 'whole-url' | 'stream-url' | 'whole-file' | 'stream-file';

interface CaseResult extends ChildRunResult {
  peakArrayBuffersBytes: number;
  arrayBuffersBeforeBytes: number;
}

buildPackageForChildren();
const nginx = await startNginx();
const url = `${nginx.url}/model.safetensors`;
const args = [nginx.root, url];

try {
  runInChild(caseScript, 'prepare', args);
  const cases: CaseName[] = ['whole-url', 'stream-url', 'whole-file', 'stream-file'];
  const runs = runRoundsInChildren<CaseName, CaseResult>(caseScript, args, cases, ROUNDS);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const of = (name: CaseName, pick: (run: CaseResult) => number) =>
    median(runs.get(name)!.map(pick));
  const time = (name: CaseName) => of(name, (run) => run.ms);
  const rssGrowth = (name: CaseName) => of(name, (run) => run.peakRssBytes - run.rssBeforeBytes);
  const buffers = (name: CaseName) =>
    of(name, (run) => run.peakArrayBuffersBytes - run.arrayBuffersBeforeBytes);
  const cell = (bytes: number) => `${mib(bytes)} (${(bytes / WEIGHT_BYTES).toFixed(2)}x)`;
  console.log(
    `weights: ${mib(WEIGHT_BYTES)} (${LAYERS} Dense ${UNITS}x${UNITS}, largest layer ${mib(LARGEST_LAYER_BYTES)}), cpu backend, median of ${ROUNDS} rounds, each run a fresh process`,
  );
  console.log(
    '| source | whole load | streamed | time ratio (whole/streamed) | whole: peak RSS growth | streamed: peak RSS growth | whole: peak arrayBuffers | streamed: peak arrayBuffers |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const [label, whole, streamed] of [
    ['nginx (HTTP, loopback)', 'whole-url', 'stream-url'],
    ['local file', 'whole-file', 'stream-file'],
  ] as Array<[string, CaseName, CaseName]>) {
    console.log(
      `| ${label} | ${time(whole).toFixed(0)} ms | ${time(streamed).toFixed(0)} ms | ${(time(whole) / time(streamed)).toFixed(2)}x | ${cell(rssGrowth(whole))} | ${cell(rssGrowth(streamed))} | ${cell(buffers(whole))} | ${cell(buffers(streamed))} |`,
    );
  }
  const bound = WEIGHT_BYTES + LARGEST_LAYER_BYTES;
  for (const name of ['stream-url', 'stream-file'] as const) {
    const ratio = rssGrowth(name) / bound;
    console.log(
      `${name}: peak RSS growth ${ratio.toFixed(2)}x (model + largest layer) (target <= 1.3: ${ratio <= 1.3 ? 'met' : 'MISSED'}); arrayBuffers ${(buffers(name) / bound).toFixed(2)}x`,
    );
  }
  console.log('\nevery run (ms; RSS growth MiB):');
  for (const name of cases) {
    console.log(
      `  ${name.padEnd(12)} ${runs
        .get(name)!
        .map(
          (run) =>
            `${run.ms.toFixed(0)}; ${((run.peakRssBytes - run.rssBeforeBytes) / 2 ** 20).toFixed(0)}`,
        )
        .join(' | ')}`,
    );
  }
} finally {
  await nginx.stop();
}
