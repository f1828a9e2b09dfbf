import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCheckpoint, fromTypedArray } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltCli, runBuiltCli } from './built-cli.js';
import { denseCheckpoint, temporaryFolder } from './fixtures.js';

let folder: { path: string; cleanup: () => Promise<void> };
const file = (name: string) => join(folder.path, name);

beforeAll(async () => {
  requireBuiltCli();
  folder = await temporaryFolder();
  await writeSafetensors(denseCheckpoint(), file('a.safetensors'));
  // Same weights, with the last kernel element nudged by 1e-6.
  const nudged = denseCheckpoint();
  const kernel = Float32Array.from([0.1, -0.2, 0.3, 1.5, -2.25, 1e-7 + 1e-6]);
  nudged.tensors.set('dense/kernel', fromTypedArray('F32', [3, 2], kernel));
  await writeSafetensors(nudged, file('nudged.safetensors'));
  await writeSafetensors(
    createCheckpoint([...denseCheckpoint().tensors].filter(([name]) => name !== 'dense/bias')),
    file('no-bias.safetensors'),
  );
  await writeFile(file('broken.safetensors'), Buffer.from('not a safetensors file at all'));
  const tfjs = await runBuiltCli(['convert', file('a.safetensors'), file('web')]);
  expect(tfjs.code).toBe(0);
});
afterAll(() => folder.cleanup());

describe('reprokit diff', () => {
  it('exits 0 for the same weights in two formats (bitwise)', async () => {
    const run = await runBuiltCli(['diff', file('a.safetensors'), file('web/model.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('equal (bitwise): 2 tensors');
  });

  it('exits 1 when one element differs, and reports the largest difference', async () => {
    const run = await runBuiltCli([
      'diff',
      file('a.safetensors'),
      file('nudged.safetensors'),
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.equal).toBe(false);
    expect(report.mode).toBe('bitwise');
    const kernel = report.tensors.find(
      (tensor: { name: string }) => tensor.name === 'dense/kernel',
    );
    expect(kernel.status).toBe('different');
    expect(kernel.maxAbsDiff).toBeCloseTo(1e-6, 9);
    expect(report.tensors.find((t: { name: string }) => t.name === 'dense/bias').status).toBe(
      'equal',
    );
  });

  it('exits 0 when the difference is within --atol and 1 when it is not', async () => {
    const within = await runBuiltCli([
      'diff',
      file('a.safetensors'),
      file('nudged.safetensors'),
      '--atol',
      '1e-5',
    ]);
    expect(within.code).toBe(0);
    const outside = await runBuiltCli([
      'diff',
      file('a.safetensors'),
      file('nudged.safetensors'),
      '--atol',
      '1e-7',
    ]);
    expect(outside.code).toBe(1);
  });

  it('exits 1 when a tensor is missing on one side', async () => {
    const run = await runBuiltCli([
      'diff',
      file('a.safetensors'),
      file('no-bias.safetensors'),
      '--json',
    ]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const statuses = new Map(
      report.tensors.map((t: { name: string; status: string }) => [t.name, t.status]),
    );
    expect(statuses).toEqual(
      new Map([
        ['dense/kernel', 'equal'],
        ['dense/bias', 'missing'],
      ]),
    );
  });

  it('exits 2 with one line on stderr when an input is malformed or missing', async () => {
    const broken = await runBuiltCli(['diff', file('a.safetensors'), file('broken.safetensors')]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toBe('');
    expect(broken.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/^reprokit: .*broken\.safetensors: /);
    const missing = await runBuiltCli(['diff', file('a.safetensors'), file('missing.safetensors')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `reprokit: ${file('missing.safetensors')}: no such file or directory\n`,
    );
  });

  it('exits 2 on a bad tolerance', async () => {
    const run = await runBuiltCli([
      'diff',
      file('a.safetensors'),
      file('a.safetensors'),
      '--atol',
      'lots',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--atol must be a number >= 0');
  });
});
