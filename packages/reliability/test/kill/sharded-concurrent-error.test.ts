import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReprokitError, readSafetensors, writeShardedSafetensors } from '@reprokit/core';
import { describe, expect, it } from 'vitest';
import { largeCheckpointPair } from '../../src/fixtures/large-checkpoint.js';
import { classifyCheckpoint } from '../../src/kill/checkpoint-state.js';

// Two calls in one process over an earlier save race on the same shard files every time; the
// process races in safetensors-sharded.test.ts hit the same paths only now and then. (Until
// core 9eac68c, the second save threw a raw EEXIST Error from link().)
describe('two writeShardedSafetensors calls at once over an earlier save', () => {
  it('fail, if at all, with a ReprokitError, and leave a readable checkpoint or a typed refusal', async () => {
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
        const read = await readSafetensors(join(dir, 'model.safetensors.index.json')).then(
          (checkpoint) => classifyCheckpoint(checkpoint, first, second).kind,
          (error: unknown) => (ReprokitError.isInstance(error) ? error.code : 'UNTYPED'),
        );
        expect(['old', 'new', 'SAFETENSORS_INDEX_MISMATCH']).toContain(read);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    expect(untyped).toEqual([]);
  });
});
