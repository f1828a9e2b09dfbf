import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const vitestCli = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

/** One test of a suite run on deliberately broken fixtures. */
export interface SelfTestResult {
  readonly status: string;
  readonly title: string;
  /** The assertion messages of a failed test. */
  readonly failureMessages: readonly string[];
}

/**
 * Runs a file of broken fixtures (which registers its suites only when `envFlag` is `1`) in a
 * child vitest and returns each test's status, keyed `<suite> / <title without skip reason>`,
 * where `<suite>` is the innermost describe title without `suitePrefix`.
 */
export function runSuiteFixtures(
  file: string,
  envFlag: string,
  suitePrefix: string,
): Map<string, SelfTestResult> {
  const outputDir = mkdtempSync(join(tmpdir(), 'reprokit-suite-self-test-'));
  try {
    const outputFile = join(outputDir, 'report.json');
    spawnSync(
      process.execPath,
      [vitestCli, 'run', file, '--reporter=json', `--outputFile=${outputFile}`],
      {
        cwd: packageRoot,
        encoding: 'utf8',
        env: { ...process.env, [envFlag]: '1' },
        timeout: 300_000,
      },
    );
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as {
      testResults: {
        assertionResults: {
          ancestorTitles: string[];
          title: string;
          status: string;
          failureMessages?: string[];
        }[];
      }[];
    };
    const results = new Map<string, SelfTestResult>();
    for (const fileResult of report.testResults) {
      for (const test of fileResult.assertionResults) {
        const suite = test.ancestorTitles.at(-1)?.replace(suitePrefix, '') ?? '';
        results.set(`${suite} / ${test.title.replace(/ \(skipped: .*\)$/, '')}`, {
          status: test.status,
          title: test.title,
          failureMessages: test.failureMessages ?? [],
        });
      }
    }
    return results;
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}
