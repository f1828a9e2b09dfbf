import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint } from '@reprokit/core';
import type { SaveStage } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTfjsArtifacts, writeTfjsArtifacts } from '../../src/node/index.js';
import { checkpointOf, next, old, replacement, SHARD_SIZE } from './crash-fixtures.js';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-crash-safe-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function manifestPaths(dir: string): Promise<string[]> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  return json.weightsManifest[0].paths;
}

async function readFingerprint(dir: string): Promise<string> {
  return fingerprint(await readTfjsArtifacts(join(dir, 'model.json'), { names: 'tfjs' }));
}

/** What a finished save leaves: model.json and the shards it lists, nothing else. */
async function expectOnlyTheSave(dir: string): Promise<void> {
  expect((await readdir(dir)).sort()).toEqual(['model.json', ...(await manifestPaths(dir))].sort());
}

const converterName = /^group1-shard\d+of\d+\.bin$/;

describe('writeTfjsArtifacts over an earlier save', () => {
  it('leaves model.json and its shards under the converter names, nothing else', async () => {
    const dir = await mkdtemp(join(folder, 'names-'));
    for (const checkpoint of [old, replacement, next, old]) {
      await writeTfjsArtifacts(checkpoint, dir, { shardSize: SHARD_SIZE });
      expect(await readFingerprint(dir)).toBe(fingerprint(checkpoint));
      await expectOnlyTheSave(dir);
      expect((await manifestPaths(dir)).every((name) => converterName.test(name))).toBe(true);
    }
    expect(await manifestPaths(dir)).toEqual([
      'group1-shard1of3.bin',
      'group1-shard2of3.bin',
      'group1-shard3of3.bin',
    ]);
  });

  it('deletes the shards of an earlier save that had more of them', async () => {
    const dir = await mkdtemp(join(folder, 'fewer-'));
    await writeTfjsArtifacts(checkpointOf([400], 1), dir, { shardSize: 100 });
    expect(await manifestPaths(dir)).toHaveLength(16);
    const second = checkpointOf([40], 2);
    await writeTfjsArtifacts(second, dir, { shardSize: 100 });
    await expectOnlyTheSave(dir);
    expect(await manifestPaths(dir)).toHaveLength(2);
    expect(await readFingerprint(dir)).toBe(fingerprint(second));
  });

  it('keeps files the replaced model.json lists that are not .bin files in its folder', async () => {
    const dir = await mkdtemp(join(folder, 'foreign-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'w.bin'), new Uint8Array(4));
    await writeFile(join(dir, 'weights.data'), new Uint8Array(4));
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        weightsManifest: [
          { paths: ['sub/w.bin'], weights: [{ name: 'a', shape: [1], dtype: 'float32' }] },
          { paths: ['weights.data'], weights: [{ name: 'b', shape: [1], dtype: 'float32' }] },
        ],
      }),
    );
    await writeTfjsArtifacts(old, dir, { shardSize: SHARD_SIZE });
    expect((await readdir(dir)).sort()).toEqual(
      ['model.json', 'sub', 'weights.data', ...(await manifestPaths(dir))].sort(),
    );
  });

  it('two saves at once leave one of the two, complete, and no file of the other', async () => {
    const dir = await mkdtemp(join(folder, 'race-'));
    for (let round = 0; round < 5; round++) {
      await writeTfjsArtifacts(old, dir, { shardSize: 64 });
      await Promise.all([
        writeTfjsArtifacts(replacement, dir, { shardSize: 64 }),
        writeTfjsArtifacts(next, dir, { shardSize: 64 }),
      ]);
      expect([fingerprint(replacement), fingerprint(next)]).toContain(await readFingerprint(dir));
      await expectOnlyTheSave(dir);
    }
  });

  it('refuses a checkpoint it cannot write before touching the folder', async () => {
    const dir = await mkdtemp(join(folder, 'refused-'));
    await writeTfjsArtifacts(old, dir, { shardSize: SHARD_SIZE });
    const before = (await readdir(dir)).sort();
    await expect(
      writeTfjsArtifacts(
        {
          tensors: new Map([['w', { dtype: 'F64', shape: [1], data: new Uint8Array(8) }]]),
          metadata: new Map(),
        },
        dir,
      ),
    ).rejects.toMatchObject({ code: 'TFJS_ARTIFACT_UNSUPPORTED_DTYPE', tensor: 'w' });
    await expect(writeTfjsArtifacts(old, dir, { shardSize: 0 })).rejects.toMatchObject({
      code: 'TFJS_ARTIFACT_BAD_OPTION',
    });
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(await readFingerprint(dir)).toBe(fingerprint(old));
  });
});

const STAGES: readonly SaveStage[] = [
  'encoded',
  'writing',
  'staged',
  'committed-staged',
  'settled',
  'committed',
  'collected',
];
/** Before the first commit the folder still holds the old checkpoint; from it on, the new one. */
const committedAt = (stage: SaveStage) =>
  STAGES.indexOf(stage) >= STAGES.indexOf('committed-staged');

describe('a save stopped at each stage (3 shards replaced by 5, then by 2)', () => {
  for (const stage of STAGES) {
    it(`stopped at "${stage}": the folder reads as the ${committedAt(stage) ? 'new' : 'old'} checkpoint`, async () => {
      const dir = await mkdtemp(join(folder, `stage-${stage}-`));
      await writeTfjsArtifacts(old, dir, { shardSize: SHARD_SIZE });
      const stop = new Error(`stopped at ${stage}`);
      await expect(
        writeTfjsArtifacts(replacement, dir, {
          shardSize: SHARD_SIZE,
          onStage: (reached) => {
            if (reached === stage) throw stop;
          },
        }),
      ).rejects.toBe(stop);
      expect(await readFingerprint(dir)).toBe(fingerprint(committedAt(stage) ? replacement : old));
    });

    // Stopped after its first commit, the model.json that listed the old shards is replaced:
    // the next save finds their names in the journal the stopped save wrote before committing.
    it(`stopped at "${stage}": the next save leaves no leftovers`, async () => {
      const dir = await mkdtemp(join(folder, `next-${stage}-`));
      await writeTfjsArtifacts(old, dir, { shardSize: SHARD_SIZE });
      await writeTfjsArtifacts(replacement, dir, {
        shardSize: SHARD_SIZE,
        onStage: (reached) => {
          if (reached === stage) throw new Error('stop');
        },
      }).catch(() => undefined);
      await writeTfjsArtifacts(next, dir, { shardSize: SHARD_SIZE });
      expect(await readFingerprint(dir)).toBe(fingerprint(next));
      await expectOnlyTheSave(dir);
    });
  }
});

/**
 * Runs a child that saves `replacement` over `dir` and blocks at `stage` after telling us it got
 * there; then kills it with SIGKILL. The marker proves the kill landed in the window aimed at.
 */
async function killSaveAt(dir: string, stage: SaveStage): Promise<void> {
  const script = fileURLToPath(new URL('./scripts/save-until-killed.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', script, dir, stage],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`at ${stage}\n`)) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`the saver exited (${code}) before it reached ${stage}`)),
      );
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

describe('a save killed with SIGKILL (child process)', () => {
  for (const stage of ['writing', 'settled'] as const) {
    it(`killed at "${stage}": the folder reads as the ${committedAt(stage) ? 'new' : 'old'} checkpoint; the next save takes the dead lock and removes the staged files`, {
      timeout: 300_000,
    }, async () => {
      const dir = await mkdtemp(join(folder, `killed-${stage}-`));
      await writeTfjsArtifacts(old, dir, { shardSize: SHARD_SIZE });
      await killSaveAt(dir, stage);
      const left = await readdir(dir);
      expect(left).toContain('.reprokit-save.lock');
      // A staged shard, or the temporary file one is being written to.
      expect(left.some((name) => /\.reprokit-(staged|tmp)$/.test(name))).toBe(true);
      expect(await readFingerprint(dir)).toBe(fingerprint(committedAt(stage) ? replacement : old));
      await writeTfjsArtifacts(next, dir, { shardSize: SHARD_SIZE });
      expect(await readFingerprint(dir)).toBe(fingerprint(next));
      const after = await readdir(dir);
      expect(after.filter((name) => name.startsWith('.'))).toEqual([]);
      await expectOnlyTheSave(dir);
    });
  }
});
