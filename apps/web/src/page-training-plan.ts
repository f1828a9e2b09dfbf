import { parseDemoOptions } from '@reprokit/demo/demo-options';
import { makeDemoPlan } from '@reprokit/demo/demo-plan';

/**
 * What "train here" runs: the MLP run of `pnpm demo --fast` (seed 42, 2,000 training digits,
 * 2 epochs, 500 held out), derived from the demo's own flag parser and plan so the two cannot
 * drift. The full demo's 6,000 digits x 3 epochs would also run in a page, but take about 3x
 * longer; the headless check in CI trains the fast size.
 */
export const PAGE_TRAINING_PLAN = makeDemoPlan(parseDemoOptions(['--fast']));

/** The training job of the Node demo with the same sizes (`runTrainWorker`'s input). */
export const NODE_TRAINING_JOB = {
  model: 'mlp',
  backend: 'wasm',
  seed: PAGE_TRAINING_PLAN.seed,
  trainCount: PAGE_TRAINING_PLAN.mlp.train,
  testCount: PAGE_TRAINING_PLAN.mlp.test,
  epochs: PAGE_TRAINING_PLAN.mlp.epochs,
} as const;
