import type { Check } from '../report/check.js';
import { shortHash } from '../report/format-numbers.js';
import type { TrainResult } from '../training/train-job.js';
import type { DemoPlan } from './demo-plan.js';

/**
 * Step 4's verdict: the run that stopped after `plan.resumeAfter` epochs and resumed in a new
 * process (weights, optimizer state and RNG snapshot restored) must end with the fingerprint
 * of the uninterrupted run. A control run that restores weights and optimizer but not the
 * RNG snapshot is expected to differ: it shows the snapshot is what makes the resume exact.
 *
 * @example
 * const check = exactResumeCheck(plan, uninterrupted, resumed, withoutSeeds);
 */
export function exactResumeCheck(
  plan: DemoPlan,
  uninterrupted: TrainResult,
  resumed: TrainResult,
  withoutSeeds: TrainResult,
): Check {
  const equal = resumed.fingerprint === uninterrupted.fingerprint;
  const controlDiffers = withoutSeeds.fingerprint !== uninterrupted.fingerprint;
  return {
    step: 4,
    name: `exact resume (mlp, ${resumed.backend})`,
    passed: equal && resumed.firstEpoch === plan.resumeAfter,
    summary:
      `${plan.resumeAfter} epoch${plan.resumeAfter === 1 ? '' : 's'}, saved weights + Adam state + RNG snapshot, ` +
      `resumed in a new process for ${plan.mlp.epochs - plan.resumeAfter} more -> ${shortHash(resumed.fingerprint)} ` +
      `${equal ? '=' : '≠'} uninterrupted ${shortHash(uninterrupted.fingerprint)}; ` +
      `without the RNG snapshot -> ${shortHash(withoutSeeds.fingerprint)} (${controlDiffers ? 'differs, as expected' : 'same'})`,
    details: {
      resumeAfter: plan.resumeAfter,
      epochs: plan.mlp.epochs,
      uninterrupted: uninterrupted.fingerprint,
      resumed: resumed.fingerprint,
      withoutSeedSnapshot: withoutSeeds.fingerprint,
    },
  };
}
