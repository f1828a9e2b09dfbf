import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoError } from '../src/cli/demo-error.js';
import { runTrainWorker } from '../src/training/run-train-worker.js';
import type { TrainJob } from '../src/training/train-job.js';

// Tiny jobs: what is tested is the process boundary (fresh process, JSON result, errors),
// not the learning; the full-size runs are the demo's own (test/demo-fast.test.ts, CI).
const tiny: TrainJob = {
  model: 'mlp',
  backend: 'wasm',
  seed: 5,
  trainCount: 200,
  testCount: 100,
  epochs: 1,
};
const folder = await mkdtemp(join(tmpdir(), 'reprokit-demo-worker-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('runTrainWorker', () => {
  it('gives the same weights in two processes with one seed, other weights with another', async () => {
    const [first, second, other] = await Promise.all([
      runTrainWorker(tiny),
      runTrainWorker(tiny),
      runTrainWorker({ ...tiny, seed: 6 }),
    ]);
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(other.fingerprint).not.toBe(first.fingerprint);
    expect(first).toMatchObject({ firstEpoch: 0, epochs: 1, backend: 'wasm' });
    expect(first.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(first.testAccuracy).toBeLessThanOrEqual(1);
    expect(first.fitMs).toBeGreaterThan(0);
  }, 300_000);

  it('reports a failed run as DEMO_WORKER_FAILED with the child error', async () => {
    const missing = join(folder, 'no-such-state.safetensors');
    const failure = await runTrainWorker({
      ...tiny,
      epochs: 2,
      resume: { from: missing, mode: 'exact' },
    }).catch((error: unknown) => error);
    expect(DemoError.isInstance(failure)).toBe(true);
    expect((failure as DemoError).code).toBe('DEMO_WORKER_FAILED');
    expect((failure as DemoError).message).toContain('mlp on wasm, seed 5, epochs 2');
    expect((failure as DemoError).message).toContain('no-such-state.safetensors');
  }, 300_000);
});
