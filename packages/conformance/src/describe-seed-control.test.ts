import { beforeAll, describe, expect, it } from 'vitest';
import { describeSeedControl, type SeedControlCheck } from './describe-seed-control.js';
import { runSuiteFixtures, type SelfTestResult } from './suite-self-test.test-helper.js';

/** The title each check is registered under (skip reasons stripped). */
const TITLES: Record<SeedControlCheck, string> = {
  'same-seed-same-draws': 'the same seed gives the same draws in two controls',
  'reseed-restarts': 'seeding again with the same seed restarts the stream',
  'different-seeds-differ': 'different seeds give different draws',
  'draws-advance': 'consecutive draws differ (the stream advances)',
  'snapshot-is-json': 'snapshot() is JSON-serialisable',
  'snapshot-resumes': 'restore(snapshot) resumes exactly where the snapshot was taken',
  'snapshot-resumes-in-new-control':
    'a new control restored from a JSON snapshot continues the old stream',
  'restore-refuses-corrupt-state':
    'restore() refuses corrupted states with a ReprokitError and changes nothing',
  'release-gives-back-original':
    'release() gives back the original behaviour, and a second release() is harmless',
  'release-without-seed': 'release() on a control never seeded changes nothing',
  'seed-everything-derives-seed':
    'seedEverything(root) seeds it with deriveSeed(root, control.name) and releases it',
};
const CHECKS = Object.keys(TITLES) as SeedControlCheck[];
const SUITES = 9;

describe('describeSeedControl catches broken controls', () => {
  let results = new Map<string, SelfTestResult>();
  beforeAll(() => {
    results = runSuiteFixtures(
      'src/seed-control-suite-fixtures/broken-seed-controls.test.ts',
      'REPROKIT_SEED_SUITE_SELF_TEST',
      'seed control: ',
    );
  }, 300_000);
  const status = (key: string) => results.get(key)?.status;

  /** The checks of one fixture suite that failed; every other check must have passed. */
  const failedChecks = (suite: string): SeedControlCheck[] => {
    expect(status(`${suite} / has a non-empty name and a seed() method`)).toBe('passed');
    const failed: SeedControlCheck[] = [];
    for (const check of CHECKS) {
      const result = status(`${suite} / ${TITLES[check]}`);
      expect(['passed', 'failed'], `${suite} / ${check}: ${String(result)}`).toContain(result);
      if (result === 'failed') failed.push(check);
    }
    return failed;
  };

  it(`ran every broken-control suite (${SUITES} suites x 12 tests)`, () => {
    expect(results.size).toBe(SUITES * 12);
  });

  it('passes a correct control', () => {
    expect(failedChecks('correct')).toEqual([]);
  });

  it('fails a control that ignores its seed', () => {
    expect(failedChecks('ignores-seed')).toEqual([
      'same-seed-same-draws',
      'reseed-restarts',
      'restore-refuses-corrupt-state',
      'release-without-seed',
      'seed-everything-derives-seed',
    ]);
  });

  it('fails a control that gives every seed the same stream, on different-seeds-differ alone', () => {
    expect(failedChecks('same-stream-for-every-seed')).toEqual(['different-seeds-differ']);
  });

  it('fails a control whose stream restarts after every draw, on draws-advance alone', () => {
    expect(failedChecks('repeats-each-draw')).toEqual(['draws-advance']);
  });

  it('fails a control whose snapshot does not survive JSON, on snapshot-is-json alone', () => {
    expect(failedChecks('snapshot-not-json')).toEqual(['snapshot-is-json']);
  });

  it('fails a control whose restore does nothing', () => {
    expect(failedChecks('restore-ignored')).toEqual([
      'snapshot-resumes',
      'snapshot-resumes-in-new-control',
      'restore-refuses-corrupt-state',
    ]);
  });

  it('fails a control whose release leaves its patch in place', () => {
    expect(failedChecks('release-leaks')).toEqual([
      'release-gives-back-original',
      'seed-everything-derives-seed',
    ]);
  });

  it('fails a control that silently accepts a corrupted state', () => {
    expect(failedChecks('accepts-garbage')).toEqual(['restore-refuses-corrupt-state']);
  });

  it('skips the snapshot tests of a control without snapshots, with the reason in the title', () => {
    const snapshotTests = [...results.entries()].filter(
      ([key]) => key.startsWith('no-snapshot / ') && /snapshot|restore/.test(key.slice(14)),
    );
    expect(snapshotTests.length).toBe(4);
    for (const [, result] of snapshotTests) {
      expect(result.status).toBe('skipped');
      expect(result.title).toMatch(/\(skipped: this fixture pretends to have no state\)$/);
    }
    const others = [...results.entries()].filter(
      ([key, result]) => key.startsWith('no-snapshot / ') && result.status !== 'skipped',
    );
    expect(others.every(([, result]) => result.status === 'passed')).toBe(true);
    expect(others.length).toBe(8);
  });
});

describe('describeSeedControl capabilities', () => {
  it('refuses a missing capability without a written reason', () => {
    expect(() =>
      describeSeedControl(
        'no-reason',
        () => ({ control: { name: 'x', seed() {} }, draw: () => [1, 2] }),
        {
          release: false,
        },
      ),
    ).toThrow(
      "describeSeedControl('no-reason'): capabilities.release is false, so capabilities.reasons.release must say why",
    );
  });
});
