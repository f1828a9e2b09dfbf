/**
 * Runs the runnable examples of the user-facing READMEs against the built packages and checks
 * what they print. Build first (`npx -y pnpm@10.34.9 build`), then:
 *
 *   node --import tsx scripts/readme-examples/run-readme-examples.ts [name filter]
 *
 * Exit code 0 when every example passed (skipped ones print their reason), 1 otherwise.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createExampleWorkspace, REPO_ROOT } from './example-workspace.js';
import { README_EXAMPLE_CASES } from './readme-example-cases.js';

const BUILT = ['core', 'tfjs', 'onnxruntime', 'tfjs-onnx'].map((name) =>
  join(REPO_ROOT, 'packages', name, 'dist', 'index.js'),
);
const missing = BUILT.filter((path) => !existsSync(path));
if (missing.length > 0) {
  console.error(`not built: ${missing.join(', ')}\nrun: npx -y pnpm@10.34.9 build`);
  process.exit(1);
}

const filter = process.argv[2];
let failed = 0;
for (const example of README_EXAMPLE_CASES) {
  if (filter !== undefined && !example.name.includes(filter)) continue;
  const skip = example.skipReason?.();
  if (skip !== undefined) {
    console.log(`- ${example.name}: skipped (${skip})`);
    continue;
  }
  const workspace = createExampleWorkspace();
  const started = performance.now();
  try {
    await example.run(workspace);
    console.log(`✔ ${example.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failed++;
    console.log(`✘ ${example.name}\n${error instanceof Error ? error.message : String(error)}`);
  } finally {
    workspace.dispose();
  }
}
console.log(failed === 0 ? 'all README examples passed' : `${failed} README example(s) failed`);
process.exit(failed === 0 ? 0 : 1);
