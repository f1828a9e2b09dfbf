/**
 * Load a dense tfjs model with 64 MiB of float32 weights (4 Dense 2048x2048, tfjs' default
 * initializers) in headless Chromium, over HTTP from nginx on loopback, tfjs on its `wasm`
 * backend (REPROKIT_BENCH_TFJS_BACKEND=cpu for the cpu one):
 *
 * - baseline: tfjs' own `tf.loadLayersModel('/tfjs/model.json')`, the same weights saved by tfjs
 *   as `model.json` + 4 MiB shards (17 files);
 * - candidates: reprokit's direct `loadLayersModelFromSafetensors(tf, url)` (byte-range reads of
 *   `model.safetensors`), and `tf.loadLayersModel(safetensorsIO(httpSource(url)))`.
 *
 * Targets (issue 14): the direct load at least 1.5x faster than the baseline; peak JS heap at
 * most 1.5x the weights. The JS heap is V8's heap plus ArrayBuffers (CDP
 * `Runtime.getHeapUsage`: `usedSize + backingStorageSize`), sampled while the load runs, as the
 * growth over the heap just before it (after a GC). WebAssembly memory is not in V8's figure:
 * on `wasm` the weights end up in the backend's memory, whose growth is printed beside it.
 *
 * Every run is a fresh page (new browser context: its own renderer and an empty HTTP cache);
 * the cases alternate round by round; medians of the rounds are printed. Fixtures are written
 * into a temporary folder at start and removed at the end.
 *
 * Run: npx -y pnpm@10.34.9 --filter @reprokit/browser-bench bench tfjs
 */
import { startBrowserBench } from '../src/browser-harness.js';
import { measureCases, median, mib, peakHeapGrowth } from '../src/measure-cases.js';
import type { CaseName } from '../src/page/bench-protocol.js';
import { printResults } from '../src/print-results.js';
import { BENCH_SIZE } from '../src/write-fixtures.js';

const TIMED_ROUNDS = 5;
const HEAP_ROUNDS = 3;
const backend = process.env.REPROKIT_BENCH_TFJS_BACKEND === 'cpu' ? 'cpu' : 'wasm';

const bench = await startBrowserBench(BENCH_SIZE, { tfjsBackend: backend });
try {
  const { weightBytes, shards } = bench.fixtures;
  const cases: CaseName[] = ['tfjs-load-layers-model', 'reprokit-direct', 'reprokit-io-handler'];
  const results = await measureCases(bench, cases, { timed: TIMED_ROUNDS, heap: HEAP_ROUNDS });
  const time = (name: CaseName) => median(results.get(name)!.times);
  const heap = (name: CaseName) => peakHeapGrowth(results.get(name)!);
  const wasm = (name: CaseName) => median(results.get(name)!.wasmGrowths);
  const ratioOfWeights = (bytes: number) => `${(bytes / weightBytes).toFixed(2)}x`;

  const labels: Record<string, string> = {
    'tfjs-load-layers-model': `baseline: tf.loadLayersModel (model.json + ${shards} shards of 4 MiB)`,
    'reprokit-direct': 'candidate: loadLayersModelFromSafetensors(tf, url)',
    'reprokit-io-handler': 'candidate: tf.loadLayersModel(safetensorsIO(httpSource(url)))',
  };
  const speedup = time('tfjs-load-layers-model') / time('reprokit-direct');
  const heapRatio = heap('reprokit-direct') / weightBytes;
  printResults({
    heading: `weights: ${mib(weightBytes)} (${BENCH_SIZE.layers} Dense ${BENCH_SIZE.units}x${BENCH_SIZE.units}); tfjs backend ${backend}; nginx on loopback; Chromium ${bench.browserVersion}, headless`,
    rounds: { timed: TIMED_ROUNDS, heap: HEAP_ROUNDS },
    columns: [
      'case',
      'load time',
      'speedup vs baseline',
      'peak JS heap growth (x weights)',
      'wasm memory growth',
      'JS heap + wasm (x weights)',
    ],
    rows: cases.map((name) => [
      labels[name]!,
      `${time(name).toFixed(0)} ms`,
      `${(time('tfjs-load-layers-model') / time(name)).toFixed(2)}x`,
      `${mib(heap(name))} (${ratioOfWeights(heap(name))})`,
      mib(wasm(name)),
      ratioOfWeights(heap(name) + wasm(name)),
    ]),
    verdicts: [
      `\ndirect load vs tf.loadLayersModel: ${speedup.toFixed(2)}x faster (target >= 1.5: ${speedup >= 1.5 ? 'met' : 'MISSED'}); peak JS heap growth ${heapRatio.toFixed(2)}x the weights (target <= 1.5: ${heapRatio <= 1.5 ? 'met' : 'MISSED'})`,
    ],
    results,
  });
} finally {
  await bench.close();
}
