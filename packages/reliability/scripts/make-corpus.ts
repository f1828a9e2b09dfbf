/*
 * Writes the bad-input corpus: `corpus/<format>/<case>.<ext>` (plus the shard or data files a
 * case refers to) and `corpus/<format>/expected.json` ({ case: error code }). Deterministic:
 * running it again gives the same bytes (a test checks this against the committed files).
 *
 *   pnpm --filter @reprokit/reliability make-corpus [--out <folder>]
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_FORMATS } from '../src/bad-input/corpus-case.js';
import { corpusCases } from '../src/bad-input/corpus-cases.js';

const outFlag = process.argv.indexOf('--out');
const out =
  outFlag >= 0 && process.argv[outFlag + 1] !== undefined
    ? process.argv[outFlag + 1]!
    : fileURLToPath(new URL('../corpus', import.meta.url));

let total = 0;
for (const format of CORPUS_FORMATS) {
  const folder = join(out, format);
  await mkdir(folder, { recursive: true });
  for (const name of await readdir(folder)) await rm(join(folder, name), { recursive: true });
  const expected: Record<string, { code: string; why: string }> = {};
  for (const item of corpusCases(format)) {
    if (item.name in expected) throw new Error(`duplicate corpus case ${format}/${item.name}`);
    expected[item.name] = { code: item.code, why: item.why };
    for (const [file, bytes] of item.files) await writeFile(join(folder, file), bytes);
    total++;
  }
  await writeFile(join(folder, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
}
console.log(`wrote ${total} corpus cases to ${out}`);
