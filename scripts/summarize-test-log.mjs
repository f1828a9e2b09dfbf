// Adds up vitest's per-package "Tests" summary lines from a turbo log and prints one
// closing line in the plain form CI reads: "tests: N passed, N failed, N skipped".
// Skipped includes vitest's todo and expected-fail (it.fails) counts.
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const log = stripVTControlCharacters(readFileSync(process.argv[2] ?? 0, 'utf8'));
const totals = { passed: 0, failed: 0, skipped: 0, packages: 0 };
for (const line of log.split('\n')) {
  const match = /^\S+:test(?::quick)?:\s+Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (!match) continue;
  totals.packages++;
  for (const part of match[1].split('|')) {
    const [, count, kind] = /(\d+)\s+(.+)/.exec(part.trim()) ?? [];
    if (count === undefined) continue;
    if (kind === 'passed') totals.passed += Number(count);
    else if (kind === 'failed') totals.failed += Number(count);
    else totals.skipped += Number(count);
  }
}
console.log(`vitest summaries found for ${totals.packages} packages`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
