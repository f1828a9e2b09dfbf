/*
 * Child of crash-safe-write.test.ts: saves the `replacement` checkpoint over the folder given
 * and, when the save reaches the stage given, prints `at <stage>` and waits there until the
 * parent kills it with SIGKILL.
 *   node --conditions=@reprokit/source --import tsx save-until-killed.ts <folder> <stage>
 */
import type { SaveStage } from '@reprokit/core/node';
import { writeTfjsArtifacts } from '../../../src/node/index.js';
import { replacement, SHARD_SIZE } from '../crash-fixtures.js';

const [folder, stage] = process.argv.slice(2) as [string, SaveStage];
await writeTfjsArtifacts(replacement, folder, {
  shardSize: SHARD_SIZE,
  onStage: async (reached) => {
    if (reached !== stage) return;
    process.stdout.write(`at ${stage}\n`);
    await new Promise(() => setInterval(() => undefined, 1000)); // held here until killed
  },
});
process.stdout.write('finished without reaching the stage\n');
process.exit(1);
