/*
 * Round trips of random checkpoints through files, lazy reads and shards (fast-check), checked
 * against the independent reader of safetensors-test-helpers.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointTensor, dtypeSize, encodeSafetensors } from '../src/index.js';
import {
  openSafetensors,
  readSafetensors,
  writeSafetensors,
  writeShardedSafetensors,
} from '../src/node/index.js';
import { canonical, checkpointArbitrary, independentRead } from './safetensors-test-helpers.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-roundtrip-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('safetensors round trips through files (property tests)', () => {
  it('files and lazy reads: what is written is read back, tensors aligned to their element size', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(checkpointArbitrary, async (checkpoint) => {
        const path = join(folder, `single-${run++}.safetensors`);
        await writeSafetensors(checkpoint, path);
        expect(readFileSync(path)).toEqual(Buffer.from(encodeSafetensors(checkpoint)));
        const read = await readSafetensors(path);
        expect(canonical(read)).toEqual(canonical(checkpoint));
        for (const tensor of read.tensors.values()) {
          expect(tensor.data.byteOffset % dtypeSize(tensor.dtype)).toBe(0);
        }
        const file = await openSafetensors(path);
        try {
          expect(new Set(file.names())).toEqual(new Set(checkpoint.tensors.keys()));
          const lazy = new Map<string, CheckpointTensor>();
          for (const name of [...file.names()].reverse())
            lazy.set(name, await file.readTensor(name));
          expect(canonical({ tensors: lazy, metadata: file.header.metadata })).toEqual(
            canonical(checkpoint),
          );
          expect(canonical(await file.readAll())).toEqual(canonical(checkpoint));
        } finally {
          await file.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('shards: any max shard size reads back the same checkpoint; shards respect the limit', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        checkpointArbitrary,
        fc.integer({ min: 1, max: 300 }),
        async (checkpoint, maxShardSize) => {
          const dir = join(folder, `sharded-${run++}`);
          const indexPath = await writeShardedSafetensors(checkpoint, dir, { maxShardSize });
          expect(indexPath).toBe(join(dir, 'model.safetensors.index.json'));
          expect(canonical(await readSafetensors(indexPath))).toEqual(canonical(checkpoint));
          const index = JSON.parse(readFileSync(indexPath, 'utf8')) as {
            metadata: { total_size: number };
            weight_map: Record<string, string>;
          };
          let total = 0;
          for (const tensor of checkpoint.tensors.values()) total += tensor.data.length;
          expect(index.metadata.total_size).toBe(total);
          expect(new Set(Object.keys(index.weight_map))).toEqual(
            new Set(checkpoint.tensors.keys()),
          );
          const shards = readdirSync(dir)
            .filter((name) => name.endsWith('.safetensors'))
            .sort();
          shards.forEach((shard, position) => {
            expect(shard).toBe(
              `model-${String(position + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`,
            );
            const contents = independentRead(readFileSync(join(dir, shard)));
            let size = 0;
            for (const tensor of contents.tensors.values()) size += tensor.data.length;
            if (contents.tensors.size > 1) expect(size).toBeLessThanOrEqual(maxShardSize);
            for (const name of contents.tensors.keys()) expect(index.weight_map[name]).toBe(shard);
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
