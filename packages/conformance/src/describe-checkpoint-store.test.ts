import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointStoreCheck } from './store/checkpoint-store-fixture.js';
import { runSuiteFixtures, type SelfTestResult } from './suite-self-test.test-helper.js';

/** The checks the self-test runs (kill and race are skipped in it, with a reason). */
const CHECKS: CheckpointStoreCheck[] = [
  'detect',
  'round-trip-files',
  'round-trip-memory',
  'inspect-matches-read',
  'inspect-reads-headers-only',
  'refuses-bad-checkpoint',
  'stop-at-every-stage',
  'fuzz',
];

describe('describeCheckpointStore catches broken stores', () => {
  let results = new Map<string, SelfTestResult>();
  beforeAll(() => {
    results = runSuiteFixtures(
      'src/store-suite-fixtures/broken-stores.test.ts',
      'REPROKIT_STORE_SUITE_SELF_TEST',
      'CheckpointStore contract: ',
    );
  }, 300_000);

  /** The checks of one fixture that failed; every other check must have passed. */
  const failedChecks = (suite: string): CheckpointStoreCheck[] => {
    const failed: CheckpointStoreCheck[] = [];
    for (const check of CHECKS) {
      const entry = [...results].find(([key]) => key.startsWith(`${suite} / ${check}:`));
      const status = entry?.[1].status;
      expect(['passed', 'failed'], `${suite} / ${check}: ${String(status)}`).toContain(status);
      if (status === 'failed') failed.push(check);
    }
    return failed;
  };

  it('ran every fixture', () => {
    expect(results.size).toBeGreaterThanOrEqual(6 * CHECKS.length);
  });

  it('passes a correct store', () => {
    expect(failedChecks('correctStore')).toEqual([]);
  });

  it('fails a store whose read drops a tensor', () => {
    // Every check that reads a save back catches it.
    expect(failedChecks('dropsATensor')).toEqual([
      'round-trip-files',
      'round-trip-memory',
      'inspect-matches-read',
      'refuses-bad-checkpoint',
      'stop-at-every-stage',
    ]);
  });

  it('fails a store whose inspect reads tensor data', () => {
    expect(failedChecks('inspectReadsEverything')).toEqual(['inspect-reads-headers-only']);
  });

  it('fails a store that detects anything', () => {
    expect(failedChecks('detectsAnything')).toEqual(['detect']);
  });

  it('fails a store that lets untyped errors out', () => {
    expect(failedChecks('untypedErrors')).toEqual(['fuzz']);
  });

  it('fails a store that encodes a malformed checkpoint', () => {
    expect(failedChecks('encodesAnything')).toEqual(['refuses-bad-checkpoint']);
  });
});
