import { tfjsArtifactsStore } from '@reprokit/tfjs';
import { describe, expect, it } from 'vitest';
import { smallTfjsFiles } from '../../src/fixtures/small-tfjs.js';
import { fuzzTestSettings } from '../../src/fuzz/fuzz-settings.js';
import { storeTarget } from '../../src/fuzz/fuzz-targets.js';
import { runFuzz, summarizeFuzz } from '../../src/fuzz/run-fuzz.js';

describe('fuzzing the tfjs artifacts store', () => {
  it('10,000 mutated model folders (model.json tokens, shard bytes, removed shards) give a checkpoint or a typed error', async () => {
    const settings = fuzzTestSettings();
    const stats = await runFuzz(
      storeTarget(tfjsArtifactsStore(), smallTfjsFiles(), 'model.json'),
      settings,
    );
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(Object.keys(stats.codes).length).toBeGreaterThanOrEqual(6);
    expect(stats.accepted).toBeGreaterThan(0);
  }, 300_000);
});
