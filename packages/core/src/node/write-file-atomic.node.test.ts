import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeStaleTemporaryFiles } from './remove-stale-temporary-files.js';
import { parseTemporaryFileName, temporaryFileName } from './temporary-file-name.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { isDeadWriter, writerTag } from './writer-tag.js';

const folder = mkdtempSync(join(tmpdir(), 'reprokit-atomic-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes one buffer, sync chunks or async chunks in order, replacing the old file', async () => {
    const path = join(folder, 'a.bin');
    writeFileSync(path, 'old content that is longer');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, [new Uint8Array([4]), new Uint8Array(0), new Uint8Array([5, 6])]);
    expect([...readFileSync(path)]).toEqual([4, 5, 6]);
    async function* chunks() {
      yield new Uint8Array([7]);
      yield new Uint8Array(5 << 20).fill(9); // larger than one write() piece
    }
    await writeFileAtomic(path, chunks());
    const written = readFileSync(path);
    expect(written.length).toBe(1 + (5 << 20));
    expect([written[0], written[1], written.at(-1)]).toEqual([7, 9, 9]);
    expect(readdirSync(folder)).toEqual(['a.bin']);
  });

  it('keeps the old file and leaves no temp file when the data source throws midway', async () => {
    const path = join(folder, 'b.bin');
    writeFileSync(path, 'precious');
    async function* failing() {
      yield new Uint8Array(1024);
      throw new Error('source broke');
    }
    await expect(writeFileAtomic(path, failing())).rejects.toThrow('source broke');
    expect(readFileSync(path, 'utf8')).toBe('precious');
    expect(readdirSync(folder).filter((name) => name.includes('b.bin'))).toEqual(['b.bin']);
  });

  it('turns file-system failures into IO_WRITE_FAILED naming the path', async () => {
    const path = join(folder, 'missing-folder', 'c.bin');
    await expect(writeFileAtomic(path, new Uint8Array(1))).rejects.toMatchObject({
      code: 'IO_WRITE_FAILED',
      origin: 'io',
      file: path,
    });
  });

  it('leaves the old file intact when the writing process is killed mid-write', async () => {
    const path = join(folder, 'd.bin');
    writeFileSync(path, 'survives');
    const script = join(folder, 'killed-writer.mts');
    const source = new URL('./write-file-atomic.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(source)};
async function* slow() {
  yield new Uint8Array(1 << 20);
  process.stdout.write('started\\n');
  await new Promise(() => {}); // never finishes: the parent kills us here
}
await writeFileAtomic(${JSON.stringify(path)}, slow());`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('started')) resolve();
      });
      child.on('exit', () => reject(new Error('writer exited before it started')));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(readFileSync(path, 'utf8')).toBe('survives');
    // A SIGKILL cannot be cleaned up after: the temp file stays, recognisably named.
    const leftovers = readdirSync(folder).filter((name) => name.startsWith('.d.bin.'));
    expect(leftovers).toHaveLength(1);
    expect(leftovers[0]).toMatch(
      new RegExp(`^\\.d\\.bin\\.${child.pid}\\.[0-9a-f]{8}\\.[0-9a-f]{8}\\.reprokit-tmp$`),
    );
    // The next save removes it: its writer is dead.
    await writeFileAtomic(path, new Uint8Array([1]));
    expect(readdirSync(folder).filter((name) => name.startsWith('.d.bin.'))).toEqual([]);
    expect([...readFileSync(path)]).toEqual([1]);
  });
});

describe('leftover temporary files', () => {
  it('a save removes those of dead writers on this host, never those of live ones', async () => {
    const dir = mkdtempSync(join(folder, 'leftovers-'));
    const target = join(dir, 'model.bin');
    // A pid that surely ended: a child that already exited.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
      stdio: 'ignore',
    });
    try {
      const dead = basename(temporaryFileName(target, deadPid));
      const deadOtherTarget = basename(temporaryFileName(join(dir, 'other.bin'), deadPid));
      const liveChild = basename(temporaryFileName(target, live.pid!));
      const liveSelf = basename(temporaryFileName(target));
      // Same shape, but written on another host: its pid means nothing here.
      const otherHost = dead.replace(
        /\.([0-9a-f]{8})\.([0-9a-f]{8})\.reprokit-tmp$/,
        (_, host, random) =>
          `.${host === '00000000' ? '11111111' : '00000000'}.${random}.reprokit-tmp`,
      );
      const unrelated = '.model.bin.notapid.reprokit-tmp';
      for (const name of [dead, deadOtherTarget, liveChild, liveSelf, otherHost, unrelated]) {
        writeFileSync(join(dir, name), 'partial');
      }
      expect(parseTemporaryFileName(dead)).toEqual({
        target: 'model.bin',
        pid: deadPid,
        writer: writerTag(deadPid),
        thisHost: true,
      });
      expect(isDeadWriter(writerTag(deadPid))).toBe(true);
      expect(isDeadWriter(writerTag())).toBe(false);
      expect(parseTemporaryFileName(otherHost)?.thisHost).toBe(false);
      expect(parseTemporaryFileName(unrelated)).toBeUndefined();

      await writeFileAtomic(target, new Uint8Array([7]));
      expect(readdirSync(dir).sort()).toEqual(
        ['model.bin', liveChild, liveSelf, otherHost, unrelated].sort(),
      );
      expect(await removeStaleTemporaryFiles(dir)).toEqual([]);
      live.kill('SIGKILL');
      await new Promise((resolve) => live.once('exit', resolve));
      expect(await removeStaleTemporaryFiles(dir)).toEqual([liveChild]);
    } finally {
      live.kill('SIGKILL');
    }
  });
});

describe('writeFileAtomic with overwrite: false', () => {
  it('creates a missing file, and refuses an existing one with IO_TARGET_EXISTS, keeping it', async () => {
    const dir = mkdtempSync(join(folder, 'exclusive-'));
    const path = join(dir, 'shard.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2]), { overwrite: false });
    expect([...readFileSync(path)]).toEqual([1, 2]);
    await expect(
      writeFileAtomic(path, new Uint8Array([3]), { overwrite: false }),
    ).rejects.toMatchObject({ code: 'IO_TARGET_EXISTS', origin: 'io', file: path });
    expect([...readFileSync(path)]).toEqual([1, 2]);
    expect(readdirSync(dir)).toEqual(['shard.bin']);
  });

  it('calls beforeCommit with the finished temporary file, whose inode the target then has', async () => {
    const dir = mkdtempSync(join(folder, 'before-commit-'));
    const path = join(dir, 'shard.bin');
    let seen: { name: string; size: number; ino: number } | undefined;
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]), {
      beforeCommit: (temporary) => {
        const stats = statSync(temporary);
        seen = { name: basename(temporary), size: stats.size, ino: stats.ino };
      },
    });
    expect(parseTemporaryFileName(seen!.name)?.target).toBe('shard.bin');
    expect(seen!.size).toBe(3);
    expect(statSync(path).ino).toBe(seen!.ino);
  });

  it('lets exactly one of several concurrent exclusive writers win', async () => {
    const dir = mkdtempSync(join(folder, 'exclusive-race-'));
    const path = join(dir, 'shard.bin');
    const results = await Promise.allSettled(
      [1, 2, 3, 4].map((value) =>
        writeFileAtomic(path, new Uint8Array(1 << 16).fill(value), { overwrite: false }),
      ),
    );
    const won = results.flatMap((result, index) =>
      result.status === 'fulfilled' ? [index + 1] : [],
    );
    expect(won).toHaveLength(1);
    expect(readFileSync(path).every((byte) => byte === won[0])).toBe(true);
    expect(readdirSync(dir)).toEqual(['shard.bin']);
  });
});
