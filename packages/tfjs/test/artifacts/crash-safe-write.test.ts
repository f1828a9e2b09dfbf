import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Checkpoint, fingerprint, writerTag } from '@reprokit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTfjsArtifacts, writeTfjsArtifacts } from '../../src/artifacts/index.js';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-crash-safe-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** One F32 tensor per entry of `sizes` (in floats), filled from `seed`. */
function checkpointOf(sizes: number[], seed: number): Checkpoint {
  const tensors = new Map(
    sizes.map((size, index) => {
      const data = new Uint8Array(
        new Float32Array(size).map((_, i) => seed * 1000 + index + i).buffer,
      );
      return [`layer${index}/kernel`, { dtype: 'F32' as const, shape: [size], data }];
    }),
  );
  return { tensors, metadata: new Map() };
}

async function manifestPaths(dir: string): Promise<string[]> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return json.weightsManifest[0].paths;
}

async function same(dir: string, expected: Checkpoint): Promise<boolean> {
  const read = await readTfjsArtifacts(join(dir, 'model.json'), { names: 'tfjs' });
  return fingerprint(read) === fingerprint(expected);
}

const plainName = /^group1-shard\d+of\d+\.bin$/;
// A shard of the killed child's 64-shard saves (not its temporary files).
const isNewShard = (name: string) => /^group1-shard\d+of64(\.[0-9a-f]{8})?\.bin$/.test(name);
const tokenName = /^group1-shard\d+of\d+\.[0-9a-f]{8}\.bin$/;

describe('writeTfjsArtifacts over an earlier save', () => {
  it('never reuses a name the current model.json lists, and leaves only the new files', async () => {
    const dir = await mkdtemp(join(folder, 'names-'));
    const saves = [
      checkpointOf([100, 60], 1),
      checkpointOf([100, 60], 2),
      checkpointOf([100, 60], 3),
    ];
    const listed: string[][] = [];
    for (const checkpoint of saves) {
      await writeTfjsArtifacts(checkpoint, dir, { shardSize: 256 });
      listed.push(await manifestPaths(dir));
      expect(await same(dir, checkpoint)).toBe(true);
      expect((await readdir(dir)).sort()).toEqual(['model.json', ...listed.at(-1)!].sort());
    }
    // 640 bytes in 256-byte shards: 3 shards. A fresh folder gets the converter's names; the
    // next save finds them taken and uses its token; the one after finds them free again.
    expect(listed[0]).toEqual([
      'group1-shard1of3.bin',
      'group1-shard2of3.bin',
      'group1-shard3of3.bin',
    ]);
    expect(listed[1]!.every((name) => tokenName.test(name))).toBe(true);
    expect(new Set(listed[1]!.map((name) => name.split('.')[1])).size).toBe(1);
    expect(listed[2]).toEqual(listed[0]);
  });

  it('deletes the shards of an earlier save that had more of them', async () => {
    const dir = await mkdtemp(join(folder, 'fewer-'));
    await writeTfjsArtifacts(checkpointOf([400], 1), dir, { shardSize: 100 });
    expect(await manifestPaths(dir)).toHaveLength(16);
    const second = checkpointOf([40], 2);
    await writeTfjsArtifacts(second, dir, { shardSize: 100 });
    expect((await readdir(dir)).sort()).toEqual(
      ['model.json', ...(await manifestPaths(dir))].sort(),
    );
    expect(await manifestPaths(dir)).toHaveLength(2);
    expect(await same(dir, second)).toBe(true);
  });

  it('two saves at once leave one of the two, complete, and no listed file missing', async () => {
    const dir = await mkdtemp(join(folder, 'race-'));
    const [a, b, c] = [
      checkpointOf([300, 20], 1),
      checkpointOf([300, 20], 2),
      checkpointOf([300, 20], 3),
    ];
    const orphans: number[] = [];
    for (let round = 0; round < 5; round++) {
      await writeTfjsArtifacts(a, dir, { shardSize: 64 });
      await Promise.all([
        writeTfjsArtifacts(b, dir, { shardSize: 64 }),
        writeTfjsArtifacts(c, dir, { shardSize: 64 }),
      ]);
      const read = fingerprint(await readTfjsArtifacts(join(dir, 'model.json'), { names: 'tfjs' }));
      expect([fingerprint(b), fingerprint(c)]).toContain(read);
      const listed = new Set(await manifestPaths(dir));
      orphans.push(
        (await readdir(dir)).filter((name) => name !== 'model.json' && !listed.has(name)).length,
      );
    }
    console.log(`shards of the losing save left after each race: ${orphans.join(', ')}`);
  });

  it('removes the shards it wrote when it fails before model.json is in place', async () => {
    const dir = await mkdtemp(join(folder, 'failed-'));
    // A folder named model.json: the shards can be written, the final rename cannot.
    await mkdir(join(dir, 'model.json'));
    await expect(
      writeTfjsArtifacts(checkpointOf([100], 1), dir, { shardSize: 64 }),
    ).rejects.toMatchObject({ code: 'IO_WRITE_FAILED' });
    expect(await readdir(dir)).toEqual(['model.json']);
  });

  it('a later save deletes what a dead save left (journal and shards), never a live one', async () => {
    const dir = await mkdtemp(join(folder, 'dead-'));
    const current = checkpointOf([64], 1);
    await writeTfjsArtifacts(current, dir, { shardSize: 128 });
    const deadTag = writerTag(spawnSync(process.execPath, ['-e', '']).pid!);
    // What a save killed mid-way leaves: tokened shards, one plain-named shard it recorded.
    await writeFile(join(dir, 'group1-shard1of3.0000dead.bin'), 'x');
    await writeFile(join(dir, 'group1-shard2of3.0000dead.bin'), 'x');
    await writeFile(join(dir, 'group1-shard3of3.bin'), 'x');
    const plain = await stat(join(dir, 'group1-shard3of3.bin'));
    await writeFile(
      join(dir, `.model.json.0000dead.${deadTag}.reprokit-save`),
      `group1-shard3of3.bin ${plain.dev} ${plain.ino}\n`,
    );
    // A save still running in this process: its journal and shard must survive.
    const liveJournal = `.model.json.0000a1fe.${writerTag()}.reprokit-save`;
    await writeFile(join(dir, liveJournal), '');
    await writeFile(join(dir, 'group1-shard1of1.0000a1fe.bin'), 'y');

    const next = checkpointOf([64], 2);
    await writeTfjsArtifacts(next, dir, { shardSize: 128 });
    expect(await same(dir, next)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(
      [
        'model.json',
        ...(await manifestPaths(dir)),
        liveJournal,
        'group1-shard1of1.0000a1fe.bin',
      ].sort(),
    );
  });

  it('SIGKILL while the new shards are written leaves the old model readable; the next save cleans up', async () => {
    const dir = await mkdtemp(join(folder, 'killed-'));
    const old = checkpointOf([1000], 7);
    await writeTfjsArtifacts(old, dir, { shardSize: 1 << 20 });
    const script = fileURLToPath(new URL('./scripts/save-until-killed.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=@reprokit/source', '--import', 'tsx', script, dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', () => reject(new Error('the saver exited before it was ready')));
      });
      // Kill once a few of the 64 new shards exist: model.json is written only after all of them.
      const deadline = Date.now() + 30_000;
      while ((await readdir(dir)).filter((name) => isNewShard(name)).length < 4) {
        if (Date.now() > deadline) throw new Error('the saver wrote no shards');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(await same(dir, old)).toBe(true);
    const left = await readdir(dir);
    // Its first 64-shard save took the free converter names; model.json still lists the old one.
    expect(left.filter((name) => isNewShard(name)).length).toBeGreaterThanOrEqual(4);
    expect(await manifestPaths(dir)).toEqual(['group1-shard1of1.bin']);
    expect(left.filter((name) => name.endsWith('.reprokit-save'))).toHaveLength(1);

    const next = checkpointOf([1000], 8);
    await writeTfjsArtifacts(next, dir, { shardSize: 1 << 20 });
    expect(await same(dir, next)).toBe(true);
    const after = await readdir(dir);
    expect(after.sort()).toEqual(['model.json', ...(await manifestPaths(dir))].sort());
    expect(
      after.every((name) => name === 'model.json' || plainName.test(name) || tokenName.test(name)),
    ).toBe(true);
  }, 60_000);
});
