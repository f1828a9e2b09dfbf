/*
 * File-level behaviour: lazy reads, atomic writes of checkpoints, refusal of bad checkpoints
 * before anything touches the disk, and sharded indexes that are wrong.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpoint, encodeSafetensors, fingerprint, fromTypedArray } from '../src/index.js';
import {
  openSafetensors,
  readSafetensors,
  writeSafetensors,
  writeShardedSafetensors,
} from '../src/node/index.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-files-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const checkpoint = () =>
  createCheckpoint(
    [
      ['dense/kernel', fromTypedArray('F32', [2, 3], [1, 2, 3, 4, 5, 6])],
      ['dense/bias', fromTypedArray('F32', [3], [7, 8, 9])],
      ['embedding', fromTypedArray('BF16', [4], [0.5, 1, 1.5, 2])],
    ],
    [['format', 'pt']],
  );

describe('openSafetensors', () => {
  it('reads only what it is asked for and names unknown tensors with suggestions', async () => {
    const path = join(folder, 'lazy.safetensors');
    await writeSafetensors(checkpoint(), path);
    const file = await openSafetensors(path);
    expect(file.names()).toEqual(['dense/bias', 'dense/kernel', 'embedding']);
    expect(file.header.metadata.get('format')).toBe('pt');
    expect(file.header.tensors.get('dense/kernel')).toEqual({
      dtype: 'F32',
      shape: [2, 3],
      begin: 12,
      end: 36,
    });
    expect([...(await file.readTensor('dense/bias')).data]).toEqual([
      ...fromTypedArray('F32', [3], [7, 8, 9]).data,
    ]);
    await expect(file.readTensor('dense/kernal')).rejects.toMatchObject({
      code: 'SAFETENSORS_TENSOR_NOT_FOUND',
      tensor: 'dense/kernal',
      message: expect.stringContaining('did you mean "dense/kernel"'),
    });
    await file.close();
    await file.close();
    await expect(file.readTensor('dense/bias')).rejects.toMatchObject({
      code: 'SAFETENSORS_FILE_CLOSED',
    });
  });

  it('reports a file cut short after opening as DATA_TRUNCATED at the byte where it ends', async () => {
    const path = join(folder, 'shrinks.safetensors');
    await writeSafetensors(checkpoint(), path);
    const file = await openSafetensors(path);
    const end = file.header.dataStart + 20;
    truncateSync(path, end);
    await expect(file.readTensor('dense/kernel')).rejects.toMatchObject({
      code: 'SAFETENSORS_DATA_TRUNCATED',
      tensor: 'dense/kernel',
      byteOffset: end,
    });
    await file.close();
  });

  it('points sharded indexes to readSafetensors', async () => {
    await expect(
      openSafetensors(join(folder, 'model.safetensors.index.json')),
    ).rejects.toMatchObject({
      code: 'SAFETENSORS_INVALID_OPTION',
      message: expect.stringContaining('readSafetensors(indexPath)'),
    });
  });

  it('gives SOURCE_NOT_FOUND, naming the path, for a missing file', async () => {
    const missing = join(folder, 'nope.safetensors');
    await expect(openSafetensors(missing)).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      file: missing,
    });
    await expect(readSafetensors(missing)).rejects.toMatchObject({
      code: 'SOURCE_NOT_FOUND',
      file: missing,
    });
  });
});

describe('writeSafetensors', () => {
  it('refuses bad checkpoints before touching the disk, leaving the old file as it was', async () => {
    const path = join(folder, 'keep.safetensors');
    await writeSafetensors(checkpoint(), path);
    const before = readFileSync(path);
    const bad: Array<[string, ReturnType<typeof createCheckpoint>, string]> = [
      [
        'short data',
        createCheckpoint([['w', { dtype: 'F32', shape: [2], data: new Uint8Array(7) }]]),
        'SAFETENSORS_INVALID_TENSOR',
      ],
      [
        'bad dtype',
        createCheckpoint([['w', { dtype: 'F128' as never, shape: [1], data: new Uint8Array(16) }]]),
        'SAFETENSORS_INVALID_TENSOR',
      ],
      [
        'bad shape',
        createCheckpoint([['w', { dtype: 'U8', shape: [1.5], data: new Uint8Array(1) }]]),
        'SAFETENSORS_INVALID_TENSOR',
      ],
      [
        'reserved name',
        createCheckpoint([['__metadata__', fromTypedArray('U8', [1], [1])]]),
        'SAFETENSORS_INVALID_NAME',
      ],
      [
        'lone surrogate',
        createCheckpoint([['\ud800', fromTypedArray('U8', [1], [1])]]),
        'SAFETENSORS_INVALID_NAME',
      ],
    ];
    for (const [label, value, code] of bad) {
      await expect(writeSafetensors(value, path), label).rejects.toMatchObject({ code });
    }
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(folder).filter((name) => name.includes('keep'))).toEqual([
      'keep.safetensors',
    ]);
  });

  it('streams the same bytes as the in-memory encoder, including empty tensors', async () => {
    const value = createCheckpoint([
      ['empty', fromTypedArray('F32', [0, 3], [])],
      ['scalar', fromTypedArray('F64', [], [Math.PI])],
    ]);
    const path = join(folder, 'empty.safetensors');
    await writeSafetensors(value, path);
    expect(new Uint8Array(readFileSync(path))).toEqual(encodeSafetensors(value));
    const back = await readSafetensors(path);
    expect(back.tensors.get('empty')).toMatchObject({ shape: [0, 3], data: new Uint8Array(0) });
  });
});

describe('sharded checkpoints', () => {
  it('names shards like Hugging Face and removes stale shards of an earlier, larger write', async () => {
    const dir = join(folder, 'shards');
    await writeShardedSafetensors(checkpoint(), dir, { maxShardSize: 8 });
    expect(readdirSync(dir).sort()).toEqual([
      'model-00001-of-00003.safetensors',
      'model-00002-of-00003.safetensors',
      'model-00003-of-00003.safetensors',
      'model.safetensors.index.json',
    ]);
    const index = await writeShardedSafetensors(checkpoint(), dir, { maxShardSize: 1000 });
    expect(readdirSync(dir).sort()).toEqual([
      'model-00001-of-00001.safetensors',
      'model.safetensors.index.json',
    ]);
    const parsedIndex = JSON.parse(readFileSync(index, 'utf8'));
    expect(parsedIndex.metadata['reprokit.shard_set']).toMatch(/^[0-9a-f]{16}$/);
    expect(parsedIndex).toEqual({
      metadata: {
        total_size: 44,
        'reprokit.shard_set': parsedIndex.metadata['reprokit.shard_set'],
      },
      weight_map: {
        'dense/bias': 'model-00001-of-00001.safetensors',
        'dense/kernel': 'model-00001-of-00001.safetensors',
        embedding: 'model-00001-of-00001.safetensors',
      },
    });
    const back = await readSafetensors(index);
    expect([...back.tensors.keys()]).toEqual(['dense/bias', 'dense/kernel', 'embedding']);
    expect([...back.metadata]).toEqual([['format', 'pt']]);
  });

  it('removes staged shards a killed earlier save of this index left behind, and only those', async () => {
    const dir = join(folder, 'staged-leftovers');
    mkdirSync(dir, { recursive: true });
    // What a save killed while staging leaves: complete files under staged names.
    const leftover =
      '.model.safetensors.index.json+model-00001-of-00002.safetensors.0123abcd.reprokit-staged';
    writeFileSync(join(dir, leftover), encodeSafetensors(checkpoint()));
    const unrelated =
      '.other.safetensors.index.json+other-00001-of-00001.safetensors.0123abcd.reprokit-staged';
    writeFileSync(join(dir, unrelated), 'another index: not this save to remove');
    await writeShardedSafetensors(checkpoint(), dir, { maxShardSize: 1000 });
    expect(readdirSync(dir).sort()).toEqual([
      unrelated,
      'model-00001-of-00001.safetensors',
      'model.safetensors.index.json',
    ]);
  });

  describe('a save that stops at any stage leaves the old checkpoint or the new one', () => {
    // Two checkpoints with the same names and sizes: both saves use the same two shard names.
    const version = (value: number) =>
      createCheckpoint([
        ['a', fromTypedArray('F32', [2], [value, value])],
        ['b', fromTypedArray('F32', [2], [value, -value])],
      ]);
    const shard1 = 'model-00001-of-00002.safetensors';
    const stages = [
      'encoded',
      'writing',
      'staged',
      'committed-staged',
      'settled',
      'committed',
    ] as const;

    for (const stage of stages) {
      it(`stopped at "${stage}": reads back whole, and the next save cleans up`, async () => {
        const dir = join(folder, `stopped-${stage}`);
        const index = await writeShardedSafetensors(version(1), dir, { maxShardSize: 8 });
        const stop = new Error(`stopped at ${stage}`);
        await expect(
          writeShardedSafetensors(version(2), dir, {
            maxShardSize: 8,
            onStage: (reached) => {
              if (reached === stage) throw stop;
            },
          }),
        ).rejects.toBe(stop);
        const expected =
          stage === 'encoded' || stage === 'writing' || stage === 'staged'
            ? version(1)
            : version(2);
        expect(fingerprint(await readSafetensors(index))).toBe(fingerprint(expected));
        await writeShardedSafetensors(version(3), dir, { maxShardSize: 8 });
        expect(fingerprint(await readSafetensors(index))).toBe(fingerprint(version(3)));
        expect(readdirSync(dir).sort()).toEqual([
          shard1,
          'model-00002-of-00002.safetensors',
          'model.safetensors.index.json',
        ]);
      });
    }

    /** dir holds a complete save of version 1; `elsewhere` a save of version 2. */
    async function setUp(name: string) {
      const dir = join(folder, name);
      const elsewhere = join(folder, `${name}-new`);
      const index = await writeShardedSafetensors(version(1), dir, { maxShardSize: 8 });
      await writeShardedSafetensors(version(2), elsewhere, { maxShardSize: 8 });
      return { dir, elsewhere, index };
    }

    it('refuses to mix when a shard of another save sits under the index with no original kept', async () => {
      const { dir, elsewhere, index } = await setUp('torn-without-backup');
      renameSync(join(elsewhere, shard1), join(dir, shard1));
      await expect(readSafetensors(index)).rejects.toMatchObject({
        code: 'SAFETENSORS_INDEX_MISMATCH',
        file: join(dir, shard1),
      });
    });

    it('refuses shards of different saves under an index without a token (written elsewhere)', async () => {
      const { dir, elsewhere, index } = await setUp('torn-foreign-index');
      const text = JSON.parse(readFileSync(index, 'utf8'));
      delete text.metadata['reprokit.shard_set'];
      writeFileSync(index, JSON.stringify(text));
      expect(fingerprint(await readSafetensors(index))).toBe(fingerprint(version(1)));
      renameSync(join(elsewhere, shard1), join(dir, shard1));
      await expect(readSafetensors(index)).rejects.toMatchObject({
        code: 'SAFETENSORS_INDEX_MISMATCH',
      });
    });

    it('reserves the token key in metadata', async () => {
      await expect(
        writeShardedSafetensors(
          createCheckpoint([], [['reprokit.shard_set', 'x']]),
          join(folder, 'r'),
          {
            maxShardSize: 8,
          },
        ),
      ).rejects.toMatchObject({ code: 'SAFETENSORS_INVALID_NAME' });
    });
  });

  it('reports a folder that cannot be made as STORE_WRITE_FAILED', async () => {
    const blocker = join(folder, 'a-file');
    writeFileSync(blocker, 'x');
    await expect(
      writeShardedSafetensors(checkpoint(), join(blocker, 'sub'), { maxShardSize: 8 }),
    ).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED', file: join(blocker, 'sub') });
  });

  it('refuses bad options', async () => {
    await expect(
      writeShardedSafetensors(checkpoint(), folder, { maxShardSize: 0 }),
    ).rejects.toMatchObject({
      code: 'SAFETENSORS_INVALID_OPTION',
    });
    await expect(
      writeShardedSafetensors(checkpoint(), folder, { maxShardSize: 10, prefix: '../evil' }),
    ).rejects.toMatchObject({ code: 'SAFETENSORS_INVALID_OPTION' });
  });

  it('rejects indexes that are wrong, naming the file, tensor and offset', async () => {
    const dir = join(folder, 'bad-index');
    mkdirSync(dir);
    const shard = 'model-00001-of-00001.safetensors';
    writeFileSync(join(dir, shard), encodeSafetensors(checkpoint()));
    const index = join(dir, 'model.safetensors.index.json');
    const expectIndex = async (text: string, expected: Record<string, unknown>) => {
      writeFileSync(index, text);
      await expect(readSafetensors(index)).rejects.toMatchObject(expected);
    };
    await expectIndex('{"weight_map": ', {
      code: 'SAFETENSORS_INDEX_INVALID',
      file: index,
      byteOffset: 15,
    });
    await expectIndex('{"metadata": {}}', { code: 'SAFETENSORS_INDEX_INVALID', file: index });
    await expectIndex('{"weight_map": {"dense/bias": "../model-00001-of-00001.safetensors"}}', {
      code: 'SAFETENSORS_INDEX_INVALID',
      tensor: 'dense/bias',
      byteOffset: 30,
    });
    await expectIndex(`{"weight_map": {"dense/bias": "${shard}", "ghost": "${shard}"}}`, {
      code: 'SAFETENSORS_INDEX_MISMATCH',
      tensor: 'ghost',
      file: join(dir, shard),
    });
    // The shard holds dense/kernel and embedding too, which the index does not map.
    await expectIndex(`{"weight_map": {"dense/bias": "${shard}"}}`, {
      code: 'SAFETENSORS_INDEX_MISMATCH',
      tensor: 'dense/kernel',
    });
    await expectIndex('{"weight_map": {"w": "model-00009-of-00009.safetensors"}}', {
      code: 'STORE_FILE_NOT_FOUND',
      file: join(dir, 'model-00009-of-00009.safetensors'),
    });
    expect(existsSync(index)).toBe(true);
  });
});
