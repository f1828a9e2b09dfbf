import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LargeCheckpointSpec } from '../fixtures/large-checkpoint.js';
import { runConcurrentSaves } from './concurrent-saves.js';
import type { KnownTear } from './describe-kill-campaign.js';
import type { SaveFormat } from './save-formats.js';

/** 8 tensors of 4 MiB: 32 MiB per save, several shards in the sharded formats. */
export const CONCURRENT_SPEC: LargeCheckpointSpec = { tensorCount: 8, tensorBytes: 4 << 20 };

/**
 * Register the concurrent-save test of one format: two processes save different checkpoints
 * to the same folder at the same moment, three times; both saves must succeed and a reader
 * must then find one of the two checkpoints, complete. With `knownTear` (a save that replaces
 * files one by one), whether a race tears depends on scheduling, so the strict check is
 * skipped with the reason and the race is still run, logged, and checked for failed saves and
 * untyped errors.
 *
 * @example
 * describeConcurrentSaves('safetensors');
 */
export function describeConcurrentSaves(format: SaveFormat, knownTear?: KnownTear): void {
  describe(`two processes saving ${format} to the same place at once`, () => {
    const run = async () => {
      const dir = await mkdtemp(join(tmpdir(), `reprokit-race-${format}-`));
      try {
        const rounds = await runConcurrentSaves(format, dir, CONCURRENT_SPEC, 3);
        console.log(
          `${format} races: ${rounds.map((round) => round.state.kind).join(', ')} (old = first saver won, new = second)`,
        );
        expect(rounds.flatMap((round) => round.exits.map((exit) => exit.code))).toEqual([
          0, 0, 0, 0, 0, 0,
        ]);
        return rounds;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };
    if (knownTear === undefined) {
      it('both saves succeed and the result is one complete checkpoint, every time', async () => {
        const rounds = await run();
        expect(
          rounds
            .map((round) => round.state.kind)
            .filter((kind) => kind !== 'old' && kind !== 'new'),
        ).toEqual([]);
      }, 120_000);
    } else {
      it.skip(`the result is one complete checkpoint (skipped: can tear depending on scheduling; ${knownTear.reason})`, () => {});
      // `run` fails on a failed save; reading fails the test on any error that is not typed.
      it('both saves succeed and a reader gets a checkpoint or a typed error', async () => {
        expect(await run()).toHaveLength(3);
      }, 120_000);
    }
  });
}
