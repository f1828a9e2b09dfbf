import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeSeedControl } from './describe-seed-control.js';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestCli = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  status: string;
}

/** Runs the broken-control fixtures in a child vitest and returns each test's status. */
function runBrokenControls(): Map<string, { status: string; title: string }> {
  const outputDir = mkdtempSync(join(tmpdir(), 'reprokit-seed-suite-'));
  try {
    const outputFile = join(outputDir, 'report.json');
    spawnSync(
      process.execPath,
      [
        vitestCli,
        'run',
        'src/seed-control-suite-fixtures/broken-seed-controls.test.ts',
        '--reporter=json',
        `--outputFile=${outputFile}`,
      ],
      {
        cwd: packageRoot,
        encoding: 'utf8',
        env: { ...process.env, REPROKIT_SEED_SUITE_SELF_TEST: '1' },
        timeout: 90_000,
      },
    );
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[] }[];
    };
    const results = new Map<string, { status: string; title: string }>();
    for (const file of report.testResults) {
      for (const test of file.assertionResults) {
        const suite = test.ancestorTitles.at(-1)?.replace('seed control: ', '') ?? '';
        // Key by suite and the title without a skip reason.
        results.set(`${suite} / ${test.title.replace(/ \(skipped: .*\)$/, '')}`, {
          status: test.status,
          title: test.title,
        });
      }
    }
    return results;
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

describe('describeSeedControl catches broken controls', () => {
  let results = new Map<string, { status: string; title: string }>();
  beforeAll(() => {
    results = runBrokenControls();
  }, 90_000);
  const status = (key: string) => results.get(key)?.status;

  it('ran every broken-control suite (5 suites x 12 tests)', () => {
    expect(results.size).toBe(60);
  });

  it('fails a control that ignores its seed', () => {
    expect(status('ignores-seed / the same seed gives the same draws in two controls')).toBe(
      'failed',
    );
    expect(status('ignores-seed / seeding again with the same seed restarts the stream')).toBe(
      'failed',
    );
    expect(status('ignores-seed / consecutive draws differ (the stream advances)')).toBe('passed');
  });

  it('fails a control whose restore does nothing', () => {
    expect(
      status('restore-ignored / restore(snapshot) resumes exactly where the snapshot was taken'),
    ).toBe('failed');
    expect(
      status(
        'restore-ignored / a new control restored from a JSON snapshot continues the old stream',
      ),
    ).toBe('failed');
    expect(status('restore-ignored / the same seed gives the same draws in two controls')).toBe(
      'passed',
    );
  });

  it('fails a control whose release leaves its patch in place', () => {
    expect(
      status(
        'release-leaks / release() gives back the original behaviour, and a second release() is harmless',
      ),
    ).toBe('failed');
    expect(
      status(
        'release-leaks / seedEverything(root) seeds it with deriveSeed(root, control.name) and releases it',
      ),
    ).toBe('failed');
  });

  it('fails a control that silently accepts a corrupted state', () => {
    expect(
      status(
        'accepts-garbage / restore() refuses corrupted states with a ReprokitError and changes nothing',
      ),
    ).toBe('failed');
    expect(
      status('accepts-garbage / restore(snapshot) resumes exactly where the snapshot was taken'),
    ).toBe('passed');
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
