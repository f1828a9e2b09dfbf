import { runTrainWorker } from '@reprokit/demo/train-worker-runner';
import { describe, expect, it } from 'vitest';
import { NODE_MLP_FINGERPRINT, NODE_MLP_INITIAL_FINGERPRINT } from '../src/node-training-result.ts';
import { NODE_TRAINING_JOB, PAGE_TRAINING_PLAN } from '../src/page-training-plan.ts';

describe('the Node fingerprints the page shows', () => {
  it('is the fast demo MLP run', () => {
    expect(NODE_TRAINING_JOB).toEqual({
      model: 'mlp',
      backend: 'wasm',
      seed: 42,
      trainCount: 2000,
      testCount: 500,
      epochs: 2,
    });
    expect(PAGE_TRAINING_PLAN.fast).toBe(true);
  });

  it('are what the demo training process gives in Node today (not stale)', async () => {
    const [trained, initial] = await Promise.all([
      runTrainWorker(NODE_TRAINING_JOB),
      runTrainWorker({ ...NODE_TRAINING_JOB, epochs: 0 }),
    ]);
    expect(trained.fingerprint).toBe(NODE_MLP_FINGERPRINT);
    expect(initial.fingerprint).toBe(NODE_MLP_INITIAL_FINGERPRINT);
    expect(initial.fingerprint).not.toBe(trained.fingerprint);
  }, 300_000);
});
