import type { Checkpoint } from '@reprokit/core';
import { ReprokitError } from '@reprokit/core';
import { type LargeCheckpointSpec, largeCheckpointPair } from '../fixtures/large-checkpoint.js';
import { type CheckpointState, classifyCheckpoint } from './checkpoint-state.js';
import { type SaveFormat, saveFormatDriver } from './save-formats.js';
import { type SaveWorkerExit, startSaveWorker } from './save-worker-process.js';

/** One race: two processes saved different checkpoints to one place at the same moment. */
export interface ConcurrentRound {
  /** `old` means variant 1 won, `new` variant 2. */
  readonly state: CheckpointState;
  readonly exits: readonly [SaveWorkerExit, SaveWorkerExit];
}

/**
 * Race two save workers `rounds` times: both build their checkpoints, then are told to save
 * (variant 1 and variant 2) in the same tick; when both have exited, what a reader finds must
 * be one of the two, complete.
 *
 * @example
 * const rounds = await runConcurrentSaves('safetensors', dir, { tensorCount: 8, tensorBytes: 4 << 20 }, 3);
 */
export async function runConcurrentSaves(
  format: SaveFormat,
  dir: string,
  spec: LargeCheckpointSpec,
  rounds: number,
): Promise<ConcurrentRound[]> {
  const driver = await saveFormatDriver(format);
  const [first, second]: [Checkpoint, Checkpoint] = largeCheckpointPair(spec);
  const results: ConcurrentRound[] = [];
  for (let round = 0; round < rounds; round++) {
    const [a, b] = await Promise.all([
      startSaveWorker(format, dir, spec),
      startSaveWorker(format, dir, spec),
    ]);
    a.go(1);
    b.go(2);
    const exits = (await Promise.all([a.exited, b.exited])) as [SaveWorkerExit, SaveWorkerExit];
    let state: CheckpointState;
    try {
      state = classifyCheckpoint(await driver.read(dir), first, second);
    } catch (error) {
      if (!ReprokitError.isInstance(error)) throw error;
      state = { kind: 'unreadable', code: error.code, message: error.message };
    }
    results.push({ state, exits });
  }
  return results;
}
