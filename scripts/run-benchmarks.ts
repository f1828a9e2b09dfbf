/**
 * Runs every `bench/*.bench.ts` file of the package in the current directory, one after
 * another (benchmarks share two cores; running them side by side would skew both).
 * Each bench file runs in its own child process so peak RSS is its own.
 * A package's `bench` script calls this; `pnpm bench` at the root runs every package's.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = join(process.cwd(), 'bench');
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.log(`no benchmarks in ${benchDir}`);
}
let failed = 0;
for (const file of files) {
  console.log(`\n# ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--conditions=@reprokit/source', '--expose-gc', '--import', 'tsx', join(benchDir, file)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
