import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

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
    expect(leftovers[0]).toMatch(/^\.d\.bin\.[0-9a-f]{12}\.reprokit-tmp$/);
  });
});
