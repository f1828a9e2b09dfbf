/**
 * An onnxruntime-web (wasm, one thread) session for the same 64 MiB dense model in headless
 * Chromium, every file fetched from nginx on loopback:
 *
 * - baseline: `InferenceSession.create(bytes of embedded.onnx)`, the weights inside the model;
 * - candidates: the graph (`graph.onnx`, exported by `exportToOnnx(model, { safetensors })`)
 *   plus `model.safetensors` handed to ORT as it is through `externalData`, by plain ORT and by
 *   reprokit's `createSession(ort, graph, { checkpoint })`. The two files are fetched in
 *   parallel.
 *
 * Target (issue 14): a session from graph + safetensors `externalData` takes at most 1.1x the
 * time of the embedded one. The fetches are in the time on both sides. Peak JS heap (V8 heap
 * plus ArrayBuffers, sampled over CDP) is printed too; ORT's WebAssembly memory is not in it.
 *
 * Every run is a fresh page whose ORT WebAssembly was compiled and started (a tiny session)
 * before the measured run; the cases alternate round by round; medians are printed.
 *
 * Run: npx -y pnpm@10.34.9 --filter @reprokit/browser-bench bench onnxruntime
 */
import { startBrowserBench } from '../src/browser-harness.js';
import { measureCases, median, mib, peakHeapGrowth } from '../src/measure-cases.js';
import type { CaseName } from '../src/page/bench-protocol.js';
import { printResults } from '../src/print-results.js';
import { BENCH_SIZE } from '../src/write-fixtures.js';

const TIMED_ROUNDS = 7;
const HEAP_ROUNDS = 3;

const bench = await startBrowserBench(BENCH_SIZE, { tfjsBackend: 'wasm' });
try {
  const { weightBytes } = bench.fixtures;
  const cases: CaseName[] = ['ort-embedded', 'ort-external-data', 'reprokit-create-session'];
  const results = await measureCases(bench, cases, { timed: TIMED_ROUNDS, heap: HEAP_ROUNDS });
  const time = (name: CaseName) => median(results.get(name)!.times);
  const heap = (name: CaseName) => peakHeapGrowth(results.get(name)!);

  const labels: Record<string, string> = {
    'ort-embedded': 'baseline: InferenceSession.create(embedded.onnx)',
    'ort-external-data': 'candidate: InferenceSession.create(graph, { externalData: safetensors })',
    'reprokit-create-session': 'candidate: createSession(ort, graph, { checkpoint: safetensors })',
  };
  const ratio = (name: CaseName) => time(name) / time('ort-embedded');
  printResults({
    heading: `weights: ${mib(weightBytes)} (${BENCH_SIZE.layers} Dense ${BENCH_SIZE.units}x${BENCH_SIZE.units} as MatMul + Add); onnxruntime-web 1.30.0 wasm, 1 thread; nginx on loopback; Chromium ${bench.browserVersion}, headless`,
    rounds: { timed: TIMED_ROUNDS, heap: HEAP_ROUNDS },
    columns: ['case', 'session time', 'time vs baseline', 'peak JS heap growth (x weights)'],
    rows: cases.map((name) => [
      labels[name]!,
      `${time(name).toFixed(0)} ms`,
      `${ratio(name).toFixed(2)}x`,
      `${mib(heap(name))} (${(heap(name) / weightBytes).toFixed(2)}x)`,
    ]),
    verdicts: (['ort-external-data', 'reprokit-create-session'] as const).map(
      (name) =>
        `${name} vs embedded: ${ratio(name).toFixed(2)}x the time (target <= 1.1: ${ratio(name) <= 1.1 ? 'met' : 'MISSED'})`,
    ),
    results,
  });
} finally {
  await bench.close();
}
