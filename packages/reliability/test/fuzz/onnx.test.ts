import { describe, expect, it } from 'vitest';
import { fuzzTestSettings } from '../../src/fuzz/fuzz-settings.js';
import { onnxTarget } from '../../src/fuzz/fuzz-targets.js';
import { runFuzz, summarizeFuzz } from '../../src/fuzz/run-fuzz.js';

describe('fuzzing the ONNX reader', () => {
  it('readOnnxCheckpoint: 10,000 mutated models and external data give a checkpoint or a typed error', async () => {
    const settings = fuzzTestSettings();
    const stats = await runFuzz(onnxTarget(), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(Object.keys(stats.codes).length).toBeGreaterThanOrEqual(4);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.slowestCaseMs).toBeLessThan(1000);
  }, 120_000);
});
