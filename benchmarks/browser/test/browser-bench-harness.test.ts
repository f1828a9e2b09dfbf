/**
 * The benchmark harness at a tiny size, once per case: fixtures written, page bundled, nginx and
 * Chromium started, every load run in a fresh page. No timing is asserted; what is asserted is
 * that each route loads the weights that were saved (the tfjs models' fingerprint equals the
 * safetensors file's, their predictions equal Node's) and that the heap sampler reads something.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserBench, startBrowserBench } from '../src/browser-harness.js';
import type { CaseName } from '../src/page/bench-protocol.js';

let bench: BrowserBench;
beforeAll(async () => {
  bench = await startBrowserBench({ layers: 3, units: 16 }, { tfjsBackend: 'wasm' });
});
afterAll(async () => {
  await bench?.close();
});

describe('tfjs loads in Chromium (wasm backend)', () => {
  const cases: CaseName[] = ['tfjs-load-layers-model', 'reprokit-direct', 'reprokit-io-handler'];
  it.each(cases)('%s gives back the saved weights', async (name) => {
    const run = await bench.run(name, { verify: true });
    expect(run.check?.fingerprint).toBe(bench.fixtures.fingerprint);
    // Same weights, same backend family: the predictions agree with Node's cpu backend closely.
    const prediction = run.check!.prediction;
    expect(prediction).toHaveLength(bench.fixtures.prediction.length);
    for (const [index, value] of prediction.entries()) {
      expect(value).toBeCloseTo(bench.fixtures.prediction[index]!, 5);
    }
    expect(run.ms).toBeGreaterThan(0);
    expect(run.tfjsWasmMemoryBytes).toBeGreaterThan(0);
  });
});

describe('onnxruntime-web sessions in Chromium', () => {
  it('embedded weights and safetensors externalData give bitwise equal outputs', async () => {
    const outputs = new Map<CaseName, number[]>();
    for (const name of ['ort-embedded', 'ort-external-data', 'reprokit-create-session'] as const) {
      const run = await bench.run(name, { verify: true });
      outputs.set(name, run.check!.prediction);
    }
    const embedded = outputs.get('ort-embedded')!;
    expect(outputs.get('ort-external-data')).toEqual(embedded);
    expect(outputs.get('reprokit-create-session')).toEqual(embedded);
    for (const [index, value] of embedded.entries()) {
      expect(value).toBeCloseTo(bench.fixtures.prediction[index]!, 5);
    }
  });
});

describe('heap sampling', () => {
  it('reads the heap before, during and after a load', async () => {
    const run = await bench.run('reprokit-direct', { sampleHeap: true });
    const heap = run.heap!;
    expect(heap.samples).toBeGreaterThan(0);
    expect(heap.beforeBytes).toBeGreaterThan(0);
    expect(heap.afterBytes).toBeGreaterThan(0);
  });
});
