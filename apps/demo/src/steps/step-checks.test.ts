import { describe, expect, it } from 'vitest';
import type { TrainResult } from '../training/train-job.js';
import { makeDemoPlan } from './demo-plan.js';
import { exactResumeCheck } from './exact-resume-step.js';
import { reproducibilityCheck } from './reproducibility-step.js';

const plan = makeDemoPlan({ seed: 42, epochs: 3, fast: false, json: undefined, help: false });
const run = (fingerprint: string, firstEpoch = 0): TrainResult => ({
  fingerprint: fingerprint.repeat(64),
  testAccuracy: 0.91,
  firstEpoch,
  epochs: 3,
  fitMs: 4000,
  backend: 'wasm',
});

describe('demo plan', () => {
  it('sizes the full and the fast run, and resumes halfway', () => {
    expect(plan).toMatchObject({
      otherSeed: 43,
      mlp: { train: 6000, test: 1000, epochs: 3 },
      cnn: { train: 2000, epochs: 2 },
      resumeAfter: 1,
    });
    const fast = makeDemoPlan({
      seed: 4294967294,
      epochs: 4,
      fast: true,
      json: undefined,
      help: false,
    });
    expect(fast).toMatchObject({
      otherSeed: 1,
      mlp: { train: 2000, test: 500, epochs: 4 },
      resumeAfter: 2,
    });
  });
});

describe('step 1 verdict', () => {
  it('passes when the same seed matches and another seed differs', () => {
    const check = reproducibilityCheck(plan, run('a'), run('a'), run('b'));
    expect(check.passed).toBe(true);
    expect(check.summary).toContain('seed 42 in 2 processes -> aaaaaaaaaaaa = aaaaaaaaaaaa');
    expect(check.summary).toContain('seed 43 -> bbbbbbbbbbbb (differs)');
  });

  it('fails when the same seed differs, or when another seed gives the same weights', () => {
    expect(reproducibilityCheck(plan, run('a'), run('c'), run('b')).passed).toBe(false);
    const ignoredSeed = reproducibilityCheck(plan, run('a'), run('a'), run('a'));
    expect(ignoredSeed.passed).toBe(false);
    expect(ignoredSeed.summary).toContain('(SAME)');
  });
});

describe('step 4 verdict', () => {
  it('passes when the resumed run ends with the uninterrupted fingerprint', () => {
    const check = exactResumeCheck(plan, run('a'), run('a', 1), run('d', 1));
    expect(check.passed).toBe(true);
    expect(check.summary).toContain(
      'resumed in a new process for 2 more -> aaaaaaaaaaaa = uninterrupted',
    );
    expect(check.summary).toContain('differs, as expected');
  });

  it('fails on another fingerprint, or when the run did not start at the saved epoch', () => {
    expect(exactResumeCheck(plan, run('a'), run('e', 1), run('d', 1)).passed).toBe(false);
    expect(exactResumeCheck(plan, run('a'), run('a', 0), run('d', 1)).passed).toBe(false);
  });
});
