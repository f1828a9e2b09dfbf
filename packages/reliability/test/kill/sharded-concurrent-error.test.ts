import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReprokitError, writeShardedSafetensors } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { largeCheckpointPair } from '../../src/fixtures/large-checkpoint.js';

// The process races in safetensors-sharded.test.ts hit this now and then; two calls in one
// process over an earlier save hit it every time (10 of 10 when it was found).
describe('two writeShardedSafetensors calls at once over an earlier save', () => {
  it.fails('fail, if at all, with a ReprokitError (fails today: core sharded-safetensors.ts step 2 checks that the .reprokit-old backup does not exist, then calls link(); the second save gets a raw EEXIST Error)', async () => {
    const [first, second] = largeCheckpointPair({ tensorCount: 4, tensorBytes: 1024 });
    const untyped: string[] = [];
    for (let round = 0; round < 3; round++) {
      const dir = await mkdtemp(join(tmpdir(), 'reprokit-sharded-race-'));
      try {
        await writeShardedSafetensors(first, dir, { maxShardSize: 2048 });
        const results = await Promise.allSettled([
          writeShardedSafetensors(second, dir, { maxShardSize: 2048 }),
          writeShardedSafetensors(second, dir, { maxShardSize: 2048 }),
        ]);
        for (const result of results) {
          if (result.status === 'rejected' && !ReprokitError.isInstance(result.reason)) {
            untyped.push(String(result.reason).slice(0, 80));
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    expect(untyped).toEqual([]);
  });
});
