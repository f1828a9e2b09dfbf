/**
 * Rounds of measured runs for the benchmarks: every case once per round, each in a fresh page,
 * the order rotated round by round so no case always runs first or right after another (the
 * machine's load then hits every case alike). Timed rounds run without the heap sampler (its
 * polling interrupts the page); heap rounds come after, sampled.
 */
import type { BenchRun, BrowserBench, HeapReading } from './browser-harness.js';
import type { CaseName } from './page/bench-protocol.js';

export interface CaseMeasurements {
  /** Load time of each timed round, in round order (ms). */
  times: number[];
  heaps: HeapReading[];
  /** tfjs wasm memory growth of each heap round (bytes; 0 when the case does not use it). */
  wasmGrowths: number[];
}

export async function measureCases(
  bench: BrowserBench,
  cases: readonly CaseName[],
  rounds: { timed: number; heap: number },
): Promise<Map<CaseName, CaseMeasurements>> {
  const results = new Map<CaseName, CaseMeasurements>(
    cases.map((name) => [name, { times: [], heaps: [], wasmGrowths: [] }]),
  );
  const total = rounds.timed + rounds.heap;
  for (let round = 0; round < total; round++) {
    const sampleHeap = round >= rounds.timed;
    for (let index = 0; index < cases.length; index++) {
      const name = cases[(index + round) % cases.length]!;
      const run: BenchRun = await bench.run(name, { sampleHeap });
      const measurements = results.get(name)!;
      if (sampleHeap) {
        measurements.heaps.push(run.heap!);
        measurements.wasmGrowths.push(run.tfjsWasmMemoryBytes - run.tfjsWasmMemoryBeforeBytes);
      } else {
        measurements.times.push(run.ms);
      }
    }
  }
  return results;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Median growth of the JS heap (V8 heap + ArrayBuffers) at its sampled peak over before. */
export const peakHeapGrowth = (measurements: CaseMeasurements): number =>
  median(measurements.heaps.map((heap) => heap.peakBytes - heap.beforeBytes));
