import type { Checkpoint, CheckpointStore } from '@reprokit/core';

/**
 * What a store's test file provides to `describeCheckpointStore`. It lives in a module of its
 * own (the suite is given the module's URL and the export's name) because the kill and race
 * checks rebuild it inside child processes.
 */
export interface CheckpointStoreFixture<W extends object = object> {
  // biome-ignore lint/suspicious/noExplicitAny: the suite works with any store's write options.
  readonly store: CheckpointStore<any>;
  /** File name of the entry that saves write: `model.safetensors`, `model.json`, `model.onnx`. */
  readonly entryName: string;
  /**
   * Checkpoint number `version` (1, 2, 3, ...). Every version has the same tensor names, dtypes
   * and shapes and different values: at least two tensors, each at least 1 KiB, and at least
   * 256 KiB of tensor data in all (so that reading headers only shows in the byte counts).
   */
  checkpoint(version: number): Checkpoint;
  /** Write options for a save of `checkpoint` (a shard size, an ONNX template). */
  writeOptions(checkpoint: Checkpoint): W;
  /**
   * Optional: write options that give more data files (a smaller shard size). The save that
   * the suite's interrupted saves replace is written with them, so a save killed over one of
   * another shape is checked too: the next save must still leave exactly the files of a clean
   * save, the replaced save's extra files included.
   */
  alternateWriteOptions?(checkpoint: Checkpoint): W;
  /**
   * The metadata keys a save of this store keeps as they are; default: every key of the
   * checkpoint. Stores that add their own keys (tfjs adds format fields) are compared on these.
   */
  keptMetadata?(checkpoint: Checkpoint): ReadonlyMap<string, string>;
}

/** The checks `describeCheckpointStore` runs; each can be skipped with a written reason. */
export type CheckpointStoreCheck =
  | 'detect'
  | 'round-trip-files'
  | 'round-trip-memory'
  | 'inspect-matches-read'
  | 'inspect-reads-headers-only'
  | 'refuses-bad-checkpoint'
  | 'stop-at-every-stage'
  | 'kill-at-every-stage'
  | 'race'
  | 'fuzz'
  | 'malformed-corpus';

export interface CheckpointStoreCapabilities {
  /** Checks this store cannot pass, each with the reason, shown in the test name. */
  readonly skip?: Partial<Record<CheckpointStoreCheck, string>>;
  /** Mutated file sets the fuzz check reads; default 300 (the reliability package runs more). */
  readonly fuzzRuns?: number;
  /** Seed of the fuzz check; default a fixed one, printed in its title. */
  readonly fuzzSeed?: number;
  /**
   * Committed malformed inputs: a folder holding `expected.json` (`{ "<case>": { "code": "..." } }`)
   * and, per case, `<case><extension>` plus the files it names. Each must be refused by `read`
   * with its code. Without it, the `malformed-corpus` check is skipped (and says so).
   */
  readonly corpus?: { readonly folder: string; readonly extension: string };
}
