/**
 * `reprokit inspect` on safetensors reads only the header. Baseline: reading the whole file
 * and fingerprinting it (what `inspect --fingerprint` and `reprokit fingerprint` do, and what
 * an inspect that parsed everything would cost). Candidate: the header-only summary the CLI
 * prints by default. The ratio is candidate / baseline (lower is faster).
 */
import { fingerprint } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import { openInput } from '../src/formats/open-input.js';
import { summarizeWeights } from '../src/formats/summarize-weights.js';
import { silentProgress } from '../src/progress/progress-reporter.js';
import { medianMs, printRow, syntheticCheckpoint, withTemporaryFolder } from './bench-harness.js';

await withTemporaryFolder(async (folder) => {
  for (const megabytes of [16, 256]) {
    const path = `${folder}/model-${megabytes}.safetensors`;
    await writeSafetensors(syntheticCheckpoint(megabytes), path);
    const baseline = await medianMs(async () => fingerprint(await readSafetensors(path)));
    const candidate = await medianMs(async () => {
      const input = await openInput(path, silentProgress);
      try {
        return await summarizeWeights(input, silentProgress);
      } finally {
        await input.close();
      }
    });
    printRow(`inspect ${megabytes} MiB safetensors (16 tensors)`, baseline, candidate);
  }
});
