/**
 * Every published package ships the repository's LICENSE (npm puts a LICENSE file in the
 * tarball whatever `files` says): each copy must equal the root one, so the text cannot drift.
 * Run by `pnpm check:packages`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
let failed = false;
for (const folder of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', folder, 'package.json'), 'utf8'));
  if (manifest.private === true) continue;
  let copy;
  try {
    copy = readFileSync(join(root, 'packages', folder, 'LICENSE'), 'utf8');
  } catch {
    copy = undefined;
  }
  if (copy !== license) {
    failed = true;
    console.error(
      `packages/${folder}/LICENSE is ${copy === undefined ? 'missing' : 'not the root LICENSE'} (${manifest.name})`,
    );
  }
  if (manifest.license !== 'MIT') {
    failed = true;
    console.error(
      `${manifest.name}: "license" must be "MIT", is ${JSON.stringify(manifest.license)}`,
    );
  }
}
if (failed) process.exit(1);
console.log('every published package ships the MIT LICENSE');
