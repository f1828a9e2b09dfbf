import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckpoint, fingerprint, fromTypedArray } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferedIo } from './cli-io.js';
import { runCli } from './run-cli.js';

let folder: string;
const checkpoint = createCheckpoint([['w', fromTypedArray('F32', [2], [1, 2])]]);

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-cli-unit-'));
  await writeSafetensors(checkpoint, join(folder, 'w.safetensors'));
  await writeFile(join(folder, 'bad.safetensors'), 'bad');
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('runCli in-process', () => {
  it('returns 0 and prints the fingerprint', async () => {
    const io = bufferedIo();
    expect(await runCli(['fingerprint', join(folder, 'w.safetensors')], io)).toBe(0);
    expect(io.out.join('')).toBe(`${fingerprint(checkpoint)}\n`);
    expect(io.err).toEqual([]);
  });

  it('returns 2 with one line for a malformed file and never throws', async () => {
    const io = bufferedIo();
    expect(await runCli(['inspect', join(folder, 'bad.safetensors')], io)).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toMatch(new RegExp(`^reprokit: ${join(folder, 'bad.safetensors')}: .+\\n$`));
  });

  it('returns 1 from diff when the files differ, 0 when they are the same', async () => {
    const other = createCheckpoint([['w', fromTypedArray('F32', [2], [1, 3])]]);
    await writeSafetensors(other, join(folder, 'other.safetensors'));
    const a = join(folder, 'w.safetensors');
    expect(await runCli(['diff', a, join(folder, 'other.safetensors')], bufferedIo())).toBe(1);
    expect(await runCli(['diff', a, a], bufferedIo())).toBe(0);
  });

  it('refuses options that do not apply to the output before reading anything', async () => {
    const io = bufferedIo();
    const code = await runCli(
      ['convert', join(folder, 'missing.safetensors'), join(folder, 'o.safetensors'), '--external'],
      io,
    );
    expect(code).toBe(2);
    expect(io.err.join('')).toContain('--external applies only to .onnx outputs');
  });
});
