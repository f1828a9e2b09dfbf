import type { DemoOptions } from '../cli/demo-options.js';

/** Sizes of every run, derived from the flags. */
export interface DemoPlan {
  readonly seed: number;
  /** A different seed for the "another seed must differ" run. */
  readonly otherSeed: number;
  readonly fast: boolean;
  readonly mlp: { readonly train: number; readonly test: number; readonly epochs: number };
  readonly cnn: { readonly train: number; readonly test: number; readonly epochs: number };
  /** Step 4 stops after this many epochs, then resumes in a new process. */
  readonly resumeAfter: number;
  /** Timed inference runs per runtime (after two warm-up runs); the median is reported. */
  readonly timingRuns: number;
}

/**
 * Turn the flags into run sizes. Full: the MLP trains on 6,000 digits (600 of each) for
 * `--epochs` (default 3), the CNN on 2,000 for 2 epochs, 1,000 held-out digits each.
 * `--fast`: 2,000 / 1,000 digits, one CNN epoch, 500 held out.
 *
 * @example
 * makeDemoPlan({ seed: 42, epochs: 3, fast: false, json: undefined, help: false }).resumeAfter; // 1
 */
export function makeDemoPlan(options: DemoOptions): DemoPlan {
  const test = options.fast ? 500 : 1000;
  return {
    seed: options.seed,
    otherSeed: options.seed === 0xffff_fffe ? 1 : options.seed + 1,
    fast: options.fast,
    mlp: { train: options.fast ? 2000 : 6000, test, epochs: options.epochs },
    cnn: { train: options.fast ? 1000 : 2000, test, epochs: options.fast ? 1 : 2 },
    resumeAfter: Math.floor(options.epochs / 2),
    timingRuns: options.fast ? 5 : 15,
  };
}
