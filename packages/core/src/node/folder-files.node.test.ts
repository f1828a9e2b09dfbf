import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpoint } from '../checkpoint/checkpoint.js';
import type { CheckpointStore } from '../store/checkpoint-store.js';
import { folderFiles } from './folder-files.js';
import { writeCheckpoint } from './write-checkpoint.js';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-folder-files-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('folderFiles', () => {
  it('opens a file in a subfolder and refuses a symbolic link that leads out of the folder', async () => {
    const outside = await mkdtemp(join(folder, 'outside-'));
    await writeFile(join(outside, 'secret.bin'), new Uint8Array([1, 2, 3]));
    const dir = await mkdtemp(join(folder, 'entry-'));
    await mkdir(join(dir, 'weights'));
    await writeFile(join(dir, 'weights', 'w.bin'), new Uint8Array([7, 8]));
    await symlink(join(outside, 'secret.bin'), join(dir, 'link.bin'));
    await writeFile(join(dir, 'model.bin'), new Uint8Array([0]));
    const files = await folderFiles(join(dir, 'model.bin'));
    try {
      const inside = await files.open('./weights/w.bin');
      expect([...(await inside.read(0, 2))]).toEqual([7, 8]);
      await inside.close();
      await expect(files.open('link.bin')).rejects.toMatchObject({
        code: 'STORE_INVALID_NAME',
        file: join(dir, 'link.bin'),
      });
    } finally {
      await files.close();
    }
  });
});

describe('writeCheckpoint', () => {
  it('puts a data file in a subfolder of the entry, creating the subfolder', async () => {
    const dir = await mkdtemp(join(folder, 'save-'));
    const store: CheckpointStore = {
      specificationVersion: 'v1',
      format: 'test',
      extensions: ['.entry'],
      detect: () => false,
      inspect: () => Promise.reject(new Error('unused')),
      read: () => Promise.reject(new Error('unused')),
      encode: async () => ({
        dataFiles: [{ name: 'weights/data.bin', chunks: [new Uint8Array([4, 5, 6])] }],
        entry: (nameOf) => ({
          name: 'model.entry',
          chunks: [new TextEncoder().encode(nameOf('weights/data.bin'))],
        }),
      }),
    };
    await writeCheckpoint(store, createCheckpoint([]), join(dir, 'model.entry'));
    expect(await readFile(join(dir, 'model.entry'), 'utf8')).toBe('weights/data.bin');
    expect([...(await readFile(join(dir, 'weights', 'data.bin')))]).toEqual([4, 5, 6]);
  });
});
