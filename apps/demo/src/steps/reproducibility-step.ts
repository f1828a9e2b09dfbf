import type { Check } from '../report/check.js';
import { milliseconds, percent, shortHash } from '../report/format-numbers.js';
import type { TrainResult } from '../training/train-job.js';
import type { DemoPlan } from './demo-plan.js';

/**
 * Step 1's verdict from three MLP runs, each in its own process: two with the plan's seed
 * (their fingerprints must be equal) and one with another seed (its fingerprint must differ).
 *
 * @example
 * const check = reproducibilityCheck(plan, first, second, other);
 */
export function reproducibilityCheck(
  plan: DemoPlan,
  first: TrainResult,
  second: TrainResult,
  other: TrainResult,
): Check {
  const same = first.fingerprint === second.fingerprint;
  const differs = other.fingerprint !== first.fingerprint;
  return {
    step: 1,
    name: `reproducibility (mlp, ${first.backend}, ${plan.mlp.train} digits, ${plan.mlp.epochs} epochs, dropout + shuffling)`,
    passed: same && differs,
    summary:
      `seed ${plan.seed} in 2 processes -> ${shortHash(first.fingerprint)} ${same ? '=' : '≠'} ${shortHash(second.fingerprint)}; ` +
      `seed ${plan.otherSeed} -> ${shortHash(other.fingerprint)} (${differs ? 'differs' : 'SAME'}); ` +
      `test accuracy ${percent(first.testAccuracy)}; fit ${milliseconds(first.fitMs)}`,
    details: {
      seed: plan.seed,
      otherSeed: plan.otherSeed,
      fingerprints: [first.fingerprint, second.fingerprint],
      otherFingerprint: other.fingerprint,
      testAccuracy: first.testAccuracy,
      fitMs: [first.fitMs, second.fitMs, other.fitMs],
    },
  };
}
