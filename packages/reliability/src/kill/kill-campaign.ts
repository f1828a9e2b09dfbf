import { readdir } from 'node:fs/promises';
import { type Checkpoint, createRng, ReprokitError } from '@reprokit/core';
import { type LargeCheckpointSpec, largeCheckpointPair } from '../fixtures/large-checkpoint.js';
import { type CheckpointState, classifyCheckpoint } from './checkpoint-state.js';
import { type SaveFormat, saveFormatDriver } from './save-formats.js';
import { type SaveWorker, startSaveWorker } from './save-worker-process.js';

export interface KillCampaignOptions {
  readonly format: SaveFormat;
  /** An empty folder the saves go to. */
  readonly dir: string;
  readonly spec: LargeCheckpointSpec;
  /** How many saves to cut short. */
  readonly kills: number;
  /** Seed of the kill schedule (a `createRng` seed). */
  readonly seed: string;
  /**
   * Kill moments are drawn uniformly from `[0, window * fullSaveMs]` after `go`. Default 1.5:
   * later saves run slower than the first (the page cache fills up), and some kills should
   * land after the rename.
   */
  readonly window?: number;
}

/** One cut-short save and what a reader found afterwards. */
export interface KillRound {
  readonly delayMs: number;
  /** Whether SIGKILL landed (`killed`) or the save had already finished (`finished`). */
  readonly ended: 'killed' | 'finished';
  readonly state: CheckpointState;
  /** Leftover `*.reprokit-tmp` files in the folder after the kill. */
  readonly tempFiles: number;
}

export interface KillCampaignResult {
  /** Duration of one uncut save, measured in the worker; it scales the kill schedule. */
  readonly fullSaveMs: number;
  readonly rounds: KillRound[];
}

/**
 * Names of the files a killed save can leave behind: `writeFileAtomic`'s
 * `.<name>.<pid>.<host>.<random>.reprokit-tmp` (removed by the next save once the writer is
 * dead), the sharded writer's `.reprokit-pending` (new shards not yet in place) and
 * `.reprokit-old` (kept originals, also used by the ONNX external-data save).
 */
export async function temporaryFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => /\.reprokit-(tmp|pending|old)$/.test(name));
}

/**
 * Save a large checkpoint over an existing one again and again, SIGKILLing each save at a
 * seeded random moment, and classify what a reader finds at the target after every kill.
 * Variant 1 is first saved uncut (that save's duration scales the schedule, lowered when a
 * later save finishes sooner); each round then
 * saves whichever variant is not at the target, so "old" and "new" always differ. Workers
 * for the next two rounds start ahead, so a round costs about one save.
 *
 * @example
 * const result = await runKillCampaign({ format: 'safetensors', dir, spec: KILL_TEST_SPEC, kills: 20, seed: 'ci' });
 * result.rounds.every((round) => round.state.kind === 'old' || round.state.kind === 'new');
 */
export async function runKillCampaign(options: KillCampaignOptions): Promise<KillCampaignResult> {
  const { format, dir, spec } = options;
  const driver = await saveFormatDriver(format);
  const [first, second] = largeCheckpointPair(spec);
  const variants = new Map<number, Checkpoint>([
    [1, first],
    [2, second],
  ]);
  const rng = createRng(options.seed);
  const window = options.window ?? 1.5;

  let worker: SaveWorker = await startSaveWorker(format, dir, spec);
  worker.go(1);
  const uncut = await worker.exited;
  if (uncut.code !== 0 || uncut.savedMs === undefined) {
    throw new Error(`the first, uncut ${format} save failed: ${uncut.stderr}`);
  }
  const fullSaveMs = uncut.savedMs;
  // The schedule's time scale: the first save's duration, lowered whenever a later save
  // finishes sooner (a busy machine can make the first one slow), so kills stay mid-save.
  let scaleMs = fullSaveMs;

  const rounds: KillRound[] = [];
  let current = 1;
  // Two workers start ahead of their round: start-up (imports, building 288 MB) costs more
  // than a round and would otherwise dominate the campaign.
  const queue: Promise<SaveWorker>[] = [];
  let started = 0;
  const refill = () => {
    while (queue.length < 2 && started < options.kills) {
      const next = startSaveWorker(format, dir, spec);
      next.catch(() => undefined);
      queue.push(next);
      started++;
    }
  };
  refill();
  try {
    for (let index = 0; index < options.kills; index++) {
      worker = await queue.shift()!;
      const variant = current === 1 ? 2 : 1;
      const delayMs = rng.next() * window * scaleMs;
      const sent = worker.go(variant);
      await sleepUntil(sent + delayMs);
      const exit = await worker.kill();
      refill();
      let state: CheckpointState;
      try {
        state = classifyCheckpoint(
          await driver.read(dir),
          variants.get(current)!,
          variants.get(variant)!,
        );
      } catch (error) {
        if (!ReprokitError.isInstance(error)) throw error;
        state = { kind: 'unreadable', code: error.code, message: error.message };
      }
      if (state.kind === 'new') current = variant;
      if (exit.savedMs !== undefined) scaleMs = Math.min(scaleMs, exit.savedMs);
      rounds.push({
        delayMs: Math.round(delayMs),
        ended: exit.signal === 'SIGKILL' ? 'killed' : 'finished',
        state,
        tempFiles: (await temporaryFiles(dir)).length,
      });
    }
  } finally {
    await worker.kill();
    for (const waiting of queue) await (await waiting.catch(() => undefined))?.kill();
  }
  return { fullSaveMs, rounds };
}

function sleepUntil(time: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));
}

/**
 * A one-line summary of a campaign for test logs and reports, e.g.
 * `safetensors: 20 kills (18 mid-save), old 9, new 11, mixed 0, corrupt 0, unreadable 0`.
 */
export function summarizeKillCampaign(format: SaveFormat, result: KillCampaignResult): string {
  const count = (kind: CheckpointState['kind']) =>
    result.rounds.filter((round) => round.state.kind === kind).length;
  const killed = result.rounds.filter((round) => round.ended === 'killed').length;
  const temps = Math.max(0, ...result.rounds.map((round) => round.tempFiles));
  return `${format}: ${result.rounds.length} kills (${killed} mid-save, full save ${result.fullSaveMs} ms), old ${count('old')}, new ${count('new')}, mixed ${count('mixed')}, corrupt ${count('corrupt')}, unreadable ${count('unreadable')}; at most ${temps} leftover temp files`;
}
