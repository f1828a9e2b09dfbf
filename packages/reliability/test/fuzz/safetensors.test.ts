import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzFolder } from '../../src/fuzz/fuzz-folder.js';
import { fuzzTestSettings } from '../../src/fuzz/fuzz-settings.js';
import {
  manyTensorsSafetensors,
  safetensorsDecodeTarget,
  safetensorsFileTarget,
  shardedSafetensorsTarget,
  smallShardedFiles,
} from '../../src/fuzz/fuzz-targets.js';
import { runFuzz, summarizeFuzz } from '../../src/fuzz/run-fuzz.js';

describe('fuzzing the safetensors readers', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await fuzzFolder('safetensors');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodeSafetensors: 10,000 mutated files give a checkpoint or a typed error, with bounded memory', async () => {
    const settings = fuzzTestSettings();
    const stats = await runFuzz(safetensorsDecodeTarget(), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    // The mutations reach far past the length check: many distinct validations fire.
    expect(Object.keys(stats.codes).length).toBeGreaterThanOrEqual(12);
    expect(stats.accepted).toBeGreaterThan(0);
  }, 300_000);

  it('decodeSafetensors: a 680 KB header with 6,000 tensors, mutated, gives only typed errors', async () => {
    const input = manyTensorsSafetensors(6_000);
    expect(input.length).toBeGreaterThan(500_000);
    expect(input.length).toBeLessThan(1_000_000);
    const settings = fuzzTestSettings(30);
    const stats = await runFuzz(
      safetensorsDecodeTarget(input, 'safetensors decode, 6,000 tensors'),
      settings,
    );
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
  }, 300_000);

  it('openSafetensors + readSafetensors(path): mutated files on disk', async () => {
    const settings = fuzzTestSettings(1_000);
    const stats = await runFuzz(safetensorsFileTarget(join(dir, 'file')), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(stats.codes.SAFETENSORS_HEADER_TRUNCATED ?? 0).toBeGreaterThan(0);
  }, 300_000);

  it('readSafetensors(index): mutated sharded checkpoints (index, shard headers, missing shards)', async () => {
    const files = await smallShardedFiles(join(dir, 'scratch'));
    expect([...files.keys()]).toContain('model.safetensors.index.json');
    expect(files.size).toBeGreaterThanOrEqual(3);
    const settings = fuzzTestSettings(2_000);
    const stats = await runFuzz(shardedSafetensorsTarget(join(dir, 'sharded'), files), settings);
    console.log(summarizeFuzz(stats));
    expect(stats.cases).toBe(settings.numRuns);
    expect(stats.codes.SAFETENSORS_INDEX_INVALID ?? 0).toBeGreaterThan(0);
    expect(stats.codes.STORE_FILE_NOT_FOUND ?? 0).toBeGreaterThan(0);
  }, 300_000);
});
