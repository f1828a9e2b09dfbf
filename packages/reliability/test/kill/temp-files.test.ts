import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { temporaryFileName } from '@reprokit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { largeCheckpointPair } from '../../src/fixtures/large-checkpoint.js';
import { classifyCheckpoint } from '../../src/kill/checkpoint-state.js';
import { temporaryFiles } from '../../src/kill/kill-campaign.js';
import { SAVE_FORMATS, saveFormatDriver } from '../../src/kill/save-formats.js';

// A small pair of checkpoints every format can hold (F32 only, for tfjs): 4 tensors of 1 KiB.
const [first, second] = largeCheckpointPair({ tensorCount: 4, tensorBytes: 1024 });

// A pid that surely ended: a child that already exited.
const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;

// What a save killed mid-write leaves: `.<file>.<pid>.<host>.<random>.reprokit-tmp` (core's
// temporaryFileName, as writeFileAtomic names them) of a writer that is gone, beside every
// file a save of the format writes, holding a partial write.
async function plantLeftovers(dir: string): Promise<string[]> {
  const planted: string[] = [];
  for (const name of await readdir(dir)) {
    const leftover = basename(temporaryFileName(join(dir, name), deadPid));
    await writeFile(join(dir, leftover), new Uint8Array(100).fill(0xee));
    planted.push(leftover);
  }
  return planted;
}

describe.each(SAVE_FORMATS)('leftover temporary files, %s', (format) => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `reprokit-temp-${format}-`));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are ignored by the reader', async () => {
    const driver = await saveFormatDriver(format);
    await driver.save(first, dir);
    const planted = await plantLeftovers(dir);
    expect(planted.length).toBeGreaterThan(0);
    expect(classifyCheckpoint(await driver.read(dir), first, second).kind).toBe('old');
  });

  it('do not stop the next save', async () => {
    const driver = await saveFormatDriver(format);
    await driver.save(first, dir);
    await plantLeftovers(dir);
    await driver.save(second, dir);
    expect(classifyCheckpoint(await driver.read(dir), first, second).kind).toBe('new');
  });

  // Fixed in core: writeFileAtomic removes temporary files of dead writers from the folder.
  it('are removed by the next save', async () => {
    const driver = await saveFormatDriver(format);
    await driver.save(first, dir);
    await plantLeftovers(dir);
    await driver.save(second, dir);
    expect(await temporaryFiles(dir)).toEqual([]);
  });
});
