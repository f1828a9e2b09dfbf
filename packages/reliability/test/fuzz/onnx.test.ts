import { onnxStore } from '@reprokit/onnxruntime';
import { describe, expect, it } from 'vitest';
import { smallOnnx } from '../../src/fixtures/small-onnx.js';
import { fuzzTestSettings } from '../../src/fuzz/fuzz-settings.js';
import { storeTarget } from '../../src/fuzz/fuzz-targets.js';
import { runFuzz, summarizeFuzz } from '../../src/fuzz/run-fuzz.js';

describe('fuzzing the ONNX store', () => {
  it('10,000 mutated models and external data files give a checkpoint or a typed error', async () => {
    const { model, location, externalData } = smallOnnx();
    const files = new Map([
      ['model.onnx', model],
      [location, externalData],
    ]);
    const settings = fuzzTestSettings();
    const stats = await runFuzz(storeTarget(onnxStore(), files, 'model.onnx'), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(Object.keys(stats.codes).length).toBeGreaterThanOrEqual(4);
    expect(stats.accepted).toBeGreaterThan(0);
  }, 300_000);
});
