/**
 * What `reprokit convert` costs over moving the same bytes. Baseline: copying the safetensors
 * file (`fs.copyFile`), the least any conversion must do. Candidates: the CLI's read and write
 * path (`runCli` in-process, so process start-up is not counted) into safetensors, tfjs
 * artifacts and sharded safetensors. The ratio is candidate / baseline.
 */
import { copyFile, rm } from 'node:fs/promises';
import { writeSafetensors } from '@reprokit/core/node';
import { bufferedIo } from '../src/cli-io.js';
import { runCli } from '../src/run-cli.js';
import { medianMs, printRow, syntheticCheckpoint, withTemporaryFolder } from './bench-harness.js';

await withTemporaryFolder(async (folder) => {
  const megabytes = 64;
  const input = `${folder}/model.safetensors`;
  await writeSafetensors(syntheticCheckpoint(megabytes), input);
  const baseline = await medianMs(() => copyFile(input, `${folder}/copy.safetensors`));
  const targets: [string, string[]][] = [
    ['safetensors', [`${folder}/out.safetensors`]],
    ['tfjs folder', [`${folder}/web`]],
    [
      'sharded safetensors',
      [`${folder}/sharded/model.safetensors.index.json`, '--max-shard-size', '16MiB'],
    ],
  ];
  for (const [label, args] of targets) {
    const candidate = await medianMs(async () => {
      const code = await runCli(['convert', input, ...args], bufferedIo());
      if (code !== 0) throw new Error(`convert to ${label} failed with exit code ${code}`);
    });
    printRow(`convert ${megabytes} MiB -> ${label}`, baseline, candidate);
    await rm(args[0]!, { recursive: true, force: true });
  }
});
