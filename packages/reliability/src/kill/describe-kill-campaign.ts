import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILL_TEST_SPEC } from '../fixtures/large-checkpoint.js';
import {
  type KillCampaignResult,
  runKillCampaign,
  summarizeKillCampaign,
} from './kill-campaign.js';
import { killTestSettings } from './kill-test-settings.js';
import type { SaveFormat } from './save-formats.js';

/** A known defect that makes a kill test fail today, with where it is. */
export interface KnownTear {
  readonly reason: string;
  /**
   * For saves that are not atomic across files but whose reader detects a torn result: the
   * typed error code it refuses the mix with. Results must then be old, new or this error,
   * never a silent mix.
   */
  readonly refusedWith?: string;
}

/**
 * Register the kill test of one format: `killTestSettings().kills` saves of a 256 MiB
 * checkpoint over an existing one, each SIGKILLed at a seeded random moment; after each kill
 * the reader must find the complete old or the complete new checkpoint. With `knownTear`, the
 * assertion is registered with `it.fails` (it passes while the defect is there, and starts
 * failing, on purpose, once it is fixed) and its title carries the reason.
 *
 * @example
 * describeKillCampaign('safetensors');
 */
export function describeKillCampaign(format: SaveFormat, knownTear?: KnownTear): void {
  describe(`SIGKILL during a ${format} save`, () => {
    const { kills, seed } = killTestSettings();
    let dir = '';
    let result: KillCampaignResult;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), `reprokit-kill-${format}-`));
      result = await runKillCampaign({ format, dir, spec: KILL_TEST_SPEC, kills, seed });
      console.log(summarizeKillCampaign(format, result));
    }, 170_000);

    afterAll(async () => {
      if (dir !== '') await rm(dir, { recursive: true, force: true });
    });

    it(`ran ${kills} kills, most of them mid-save`, () => {
      expect(result.rounds).toHaveLength(kills);
      // The schedule spans 1.5x the first full save: a few saves may finish first, most must not.
      const killed = result.rounds.filter((round) => round.ended === 'killed').length;
      expect(killed).toBeGreaterThanOrEqual(Math.ceil(kills / 2));
    });

    const title = `after every kill the target holds the complete old or the complete new checkpoint${
      knownTear === undefined ? '' : ` (fails today: ${knownTear.reason})`
    }`;
    (knownTear === undefined ? it : it.fails)(title, () => {
      const states = result.rounds.map((round) => round.state);
      expect(states.filter((state) => state.kind !== 'old' && state.kind !== 'new')).toEqual([]);
    });
  });
}
