/**
 * Run by seed-everything-child-process.test.ts in a fresh Node process.
 *   resume <count>: reads a SeedSnapshot as JSON on stdin, restores it with restoreSeeds,
 *                   prints the next <count> Math.random() draws as JSON.
 *   environment <count>: seedEverything() from REPROKIT_SEED, prints <count> draws as JSON.
 */
import { readFileSync } from 'node:fs';
import { restoreSeeds, type SeedSnapshot, seedEverything } from './index.js';

const [mode, countText] = process.argv.slice(2);
const count = Number(countText);
const nativeRandom = Math.random;
const scope =
  mode === 'resume'
    ? restoreSeeds(JSON.parse(readFileSync(0, 'utf8')) as SeedSnapshot)
    : seedEverything();
const draws = Array.from({ length: count }, () => Math.random());
scope.release();
if (Math.random !== nativeRandom) throw new Error('Math.random was not given back');
process.stdout.write(JSON.stringify({ root: scope.root, draws }));
