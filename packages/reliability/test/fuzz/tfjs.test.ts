import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzFolder } from '../../src/fuzz/fuzz-folder.js';
import { fuzzTestSettings } from '../../src/fuzz/fuzz-settings.js';
import { tfjsArtifactsTarget } from '../../src/fuzz/fuzz-targets.js';
import { runFuzz, summarizeFuzz } from '../../src/fuzz/run-fuzz.js';

describe('fuzzing the tfjs artifacts reader', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await fuzzFolder('tfjs');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('readTfjsArtifacts: 10,000 mutated model folders give a checkpoint or a typed error', async () => {
    const settings = fuzzTestSettings();
    const stats = await runFuzz(tfjsArtifactsTarget(dir), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(Object.keys(stats.codes).length).toBeGreaterThanOrEqual(6);
    expect(stats.accepted).toBeGreaterThan(0);
    expect(stats.slowestCaseMs).toBeLessThan(1000);
  }, 150_000);
});
