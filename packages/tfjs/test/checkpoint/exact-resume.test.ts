import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, 'scripts', 'resume-training.ts');
let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-resume-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Run one training step of the scenario in a fresh Node process; returns the weights' fingerprint. */
function run(mode: string, statePath: string, shuffle: boolean, seed = 20261128): string {
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=@reprokit/source',
      '--import',
      'tsx',
      script,
      mode,
      String(seed),
      statePath,
      shuffle ? 'shuffle' : 'no-shuffle',
    ],
    { encoding: 'utf8', cwd: join(import.meta.dirname, '..', '..') },
  );
  if (result.status !== 0) throw new Error(`${mode} failed:\n${result.stderr}`);
  const line = result.stdout.trim().split('\n').at(-1)!;
  return (JSON.parse(line) as { fingerprint: string }).fingerprint;
}

describe('exact resume across processes (cpu; Dropout, GaussianNoise, BatchNorm, Adam)', () => {
  it('2 epochs, save, load in a new process, 2 more equals 4 epochs without a break, bitwise', {
    timeout: 300_000,
  }, () => {
    const statePath = join(folder, 'shuffled.safetensors');
    // One fit() of 4 epochs. tfjs reshuffles fit's index array in place every epoch; the seed
    // control puts it back in order first, so epoch 3's order depends only on the RNG state.
    const uninterrupted = run('full', statePath, true);
    expect(run('split', statePath, true)).toBe(uninterrupted);
    run('first', statePath, true);
    expect(run('resume', statePath, true)).toBe(uninterrupted);
    // Without the RNG snapshot the dropout masks, noise and batch order differ.
    expect(run('resume-without-rng', statePath, true)).not.toBe(uninterrupted);
  });

  it('without shuffling, the resumed run equals one fit() of 4 epochs, bitwise', {
    timeout: 300_000,
  }, () => {
    const statePath = join(folder, 'unshuffled.safetensors');
    const single = run('full', statePath, false);
    run('first', statePath, false);
    expect(run('resume', statePath, false)).toBe(single);
  });
});
