/*
 * Child of crash-safe-write.test.ts: saves a 64 MiB checkpoint in 1 MiB shards into the
 * folder given, over and over, until the parent SIGKILLs it.
 *   node --conditions=@reprokit/source --import tsx save-until-killed.ts <folder>
 */
import { writeTfjsArtifacts } from '../../../src/artifacts/index.js';

const folder = process.argv[2]!;
const data = new Uint8Array(64 << 20).fill(0x5a);
const checkpoint = {
  tensors: new Map([['w', { dtype: 'F32' as const, shape: [16 << 20], data }]]),
  metadata: new Map<string, string>(),
};
process.stdout.write('ready\n');
for (;;) await writeTfjsArtifacts(checkpoint, folder, { shardSize: 1 << 20 });
