/**
 * `pnpm demo`: trains on real MNIST digits and proves, with numbers, that reprokit's seeds
 * and checkpoints do what they claim (see README.md). Exit code 0 only if every check passed;
 * 1 if a check failed; 2 on bad flags or an error that stopped the demo.
 */
import { resolve } from 'node:path';
import { writeFileAtomic } from '@reprokit/core/node';
import { DemoError } from './cli/demo-error.js';
import { DEMO_USAGE, parseDemoOptions } from './cli/demo-options.js';
import { formatCheckLine } from './report/check.js';
import { milliseconds } from './report/format-numbers.js';
import { inferenceTable } from './report/inference-table.js';
import { runDemo } from './run-demo.js';

async function main(): Promise<number> {
  const options = parseDemoOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  process.stdout.write(
    `reprokit demo: seed ${options.seed}, ${options.epochs} epochs${options.fast ? ', --fast' : ''}\n`,
  );
  const report = await runDemo(options, {
    onNote: (note) => process.stdout.write(`  ${note}\n`),
    onCheck: (check) => process.stdout.write(`${formatCheckLine(check)}\n`),
  });
  process.stdout.write(`\n${inferenceTable(report.inference)}`);
  const failed = report.checks.filter((check) => !check.passed).length;
  process.stdout.write(
    `\n${failed === 0 ? `all ${report.checks.length} checks passed` : `${failed} of ${report.checks.length} checks FAILED`} in ${milliseconds(report.durationMs)}\n`,
  );
  if (options.json !== undefined) {
    // pnpm runs the start script inside apps/demo; INIT_CWD is where the user typed the command.
    const jsonPath = resolve(process.env.INIT_CWD ?? process.cwd(), options.json);
    await writeFileAtomic(
      jsonPath,
      new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`),
    );
    process.stdout.write(`report written to ${jsonPath}\n`);
  }
  return report.passed ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(
    `${DemoError.isInstance(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
}
