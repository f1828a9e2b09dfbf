import { open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, denseOnnxTemplate, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);
const TEN_GIB = 10 * 1024 ** 3;

/** A safetensors file whose header declares one 10 GiB U8 tensor; the data is a sparse hole. */
async function writeSparseLargeFile(path: string, size: number): Promise<void> {
  const header = JSON.stringify({
    __metadata__: { note: 'sparse' },
    huge: { dtype: 'U8', shape: [TEN_GIB], data_offsets: [0, TEN_GIB] },
  });
  const padded = header.padEnd(Math.ceil(header.length / 8) * 8, ' ');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(padded.length));
  await writeFile(path, Buffer.concat([prefix, Buffer.from(padded)]));
  await truncate(path, 8 + padded.length + size);
}

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeSafetensors(denseCheckpoint(), file('dense.safetensors'));
  await writeFile(file('template.onnx'), denseOnnxTemplate());
  await writeSparseLargeFile(file('large.safetensors'), TEN_GIB);
  await writeSparseLargeFile(file('cut.safetensors'), 1024);
});
afterAll(() => folder.cleanup());

describe('reprokit inspect --json', () => {
  it('prints { format, tensors, metadata, fingerprint } for a safetensors file, header only', async () => {
    const run = await runBuiltCli(['inspect', file('dense.safetensors'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(run.stdout);
    expect(Object.keys(document)).toEqual([
      'format',
      'tensors',
      'metadata',
      'files',
      'fingerprint',
    ]);
    expect(document.format).toBe('safetensors');
    expect(document.metadata).toEqual({ producer: 'reprokit-cli-test' });
    expect(document.fingerprint).toBeNull();
    expect(
      [...document.tensors].sort((x: { name: string }, y: { name: string }) =>
        x.name.localeCompare(y.name),
      ),
    ).toEqual([
      { name: 'dense/bias', dtype: 'F32', shape: [2], bytes: 8 },
      { name: 'dense/kernel', dtype: 'F32', shape: [3, 2], bytes: 24 },
    ]);
  });

  it('hashes the data of a safetensors file with --fingerprint', async () => {
    const run = await runBuiltCli([
      'inspect',
      file('dense.safetensors'),
      '--json',
      '--fingerprint',
    ]);
    expect(JSON.parse(run.stdout).fingerprint).toBe(fingerprint(denseCheckpoint()));
  });

  it('reads ONNX initializers from their headers, and hashes them with --fingerprint', async () => {
    const run = await runBuiltCli(['inspect', file('template.onnx'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(run.stdout);
    expect(document.format).toBe('onnx');
    expect(document.tensors).toEqual([
      { name: 'dense/kernel', dtype: 'F32', shape: [3, 2], bytes: 24 },
      { name: 'dense/bias', dtype: 'F32', shape: [2], bytes: 8 },
    ]);
    expect(document.fingerprint).toBeNull();
    const hashed = JSON.parse(
      (await runBuiltCli(['inspect', file('template.onnx'), '--json', '--fingerprint'])).stdout,
    );
    expect(hashed.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('inspects a 10 GiB file from its header without reading the data', async () => {
    const run = await runBuiltCli(['inspect', file('large.safetensors'), '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const document = JSON.parse(run.stdout);
    expect(document.tensors).toEqual([
      { name: 'huge', dtype: 'U8', shape: [TEN_GIB], bytes: TEN_GIB },
    ]);
    expect(document.metadata).toEqual({ note: 'sparse' });
    // Not hashed: hashing would mean reading 10 GiB.
    expect(document.fingerprint).toBeNull();
  });

  it('refuses a file shorter than its header says, naming the file and the sizes', async () => {
    const run = await runBuiltCli(['inspect', file('cut.safetensors')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`reprokit: ${file('cut.safetensors')}: `);
    expect(run.stderr).toMatch(/ends early/);
  });
});

describe('reprokit inspect (table)', () => {
  it('lists tensors, totals, metadata and says the fingerprint was not computed', async () => {
    const run = await runBuiltCli(['inspect', file('dense.safetensors')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/dense\/kernel\s+F32\s+\[3,2\]\s+24/);
    expect(run.stdout).toContain('2 tensors, 8 elements, 32 bytes (32 B)');
    expect(run.stdout).toContain('  producer: reprokit-cli-test');
    expect(run.stdout).toContain('fingerprint: not computed');
  });
});

describe('the sparse fixture', () => {
  it('is as large as it claims (so the test above means something)', async () => {
    const handle = await open(file('large.safetensors'), 'r');
    try {
      expect((await handle.stat()).size).toBeGreaterThan(TEN_GIB);
    } finally {
      await handle.close();
    }
  });
});
