import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointAdapterCheck } from './describe-checkpoint-adapter.js';
import { runSuiteFixtures, type SelfTestResult } from './suite-self-test.test-helper.js';

/** The title each check is registered under. */
const TITLES: Record<CheckpointAdapterCheck, string> = {
  'read-write-identity': 'read then write is the identity, bitwise',
  'strict-missing': 'strict write rejects a missing tensor and changes nothing',
  'strict-unexpected': 'strict write rejects an unexpected tensor and changes nothing',
  'strict-shape': 'strict write rejects a shape mismatch and changes nothing',
  'strict-dtype': 'strict write rejects a dtype mismatch and changes nothing',
  'non-strict-report': 'non-strict write loads what fits (bitwise) and reports the rest',
  'fingerprint-stable':
    'two fresh instances have the same names, dtypes and shapes, and the same fingerprint once given the same weights',
  'predict-after-write':
    'a write changes the predictions, to those of another model given the same weights, bitwise',
};
const CHECKS = Object.keys(TITLES) as CheckpointAdapterCheck[];

describe('describeCheckpointAdapter catches broken adapters', () => {
  let results = new Map<string, SelfTestResult>();
  beforeAll(() => {
    results = runSuiteFixtures(
      'src/checkpoint-adapter-suite-fixtures/broken-checkpoint-adapters.test.ts',
      'REPROKIT_CHECKPOINT_SUITE_SELF_TEST',
      'CheckpointAdapter conformance: ',
    );
  }, 300_000);

  /** The checks of one fixture suite that failed; every other check must have passed. */
  const failedChecks = (suite: string): CheckpointAdapterCheck[] => {
    const failed: CheckpointAdapterCheck[] = [];
    for (const check of CHECKS) {
      const status = results.get(`${suite} / ${TITLES[check]}`)?.status;
      expect(['passed', 'failed'], `${suite} / ${check}: ${String(status)}`).toContain(status);
      if (status === 'failed') failed.push(check);
    }
    return failed;
  };

  it('ran every fixture suite (8 suites x 8 checks)', () => {
    expect(results.size).toBe(64);
  });

  it('passes a correct adapter, also on a model of exactly two tensors', () => {
    expect(failedChecks('correct')).toEqual([]);
    expect(failedChecks('correct-two-tensors')).toEqual([]);
  });

  it('fails an adapter that silently drops a tensor on write', () => {
    expect(failedChecks('drops-a-tensor')).toEqual([
      'read-write-identity',
      'non-strict-report',
      'fingerprint-stable',
      'predict-after-write',
    ]);
  });

  it('fails an adapter that writes a tensor transposed (same shape)', () => {
    // Both models get the same transposed kernel, so their predictions agree: the byte checks
    // are the ones that catch it.
    expect(failedChecks('transposes-a-tensor')).toEqual([
      'read-write-identity',
      'non-strict-report',
      'fingerprint-stable',
    ]);
  });

  it('fails an adapter that ignores strict', () => {
    expect(failedChecks('ignores-strict')).toEqual([
      'strict-missing',
      'strict-unexpected',
      'strict-shape',
      'strict-dtype',
    ]);
  });

  it('fails an adapter that writes into a copy the runtime never executes', () => {
    // read() sees the written weights, so only the predictions can tell.
    expect(failedChecks('writes-a-copy')).toEqual(['predict-after-write']);
    const { failureMessages } = results.get(`writes-a-copy / ${TITLES['predict-after-write']}`)!;
    expect(failureMessages.join('\n')).toContain(
      'the write did not change what the runtime computes',
    );
  });

  it('refuses a fixture whose models all have the same weights (such a fixture hid that fault)', () => {
    expect(failedChecks('correct-same-weights')).toEqual(['predict-after-write']);
    const key = `correct-same-weights / ${TITLES['predict-after-write']}`;
    expect(results.get(key)!.failureMessages.join('\n')).toContain(
      'createModel() must give models with different weights',
    );
  });

  it('fails a non-strict write that loads nothing, on a model of exactly two tensors', () => {
    expect(failedChecks('non-strict-writes-nothing-two-tensors')).toEqual(['non-strict-report']);
  });
});
