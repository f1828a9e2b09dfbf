import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/train-seeded-model.ts', import.meta.url));

interface TrainingResult {
  backend: string;
  build: string;
  initial: string;
  final: string;
  firstKernel: number[];
  weights: number;
}

/** Runs one seeded training in a fresh Node process: no state shared with this one. */
function train(
  seed: number,
  variant: 'cpu-conv' | 'wasm-mlp',
  userDraws = 0,
  build: 'commonjs' | 'umd' = 'commonjs',
): Promise<TrainingResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@reprokit/source',
        '--import',
        'tsx',
        script,
        String(seed),
        variant,
        String(userDraws),
        build,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith('{'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`training child (${variant}, seed ${seed}) exited ${code}:\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line) as TrainingResult);
    });
  });
}

describe.each([
  ['cpu-conv', 'cpu'],
  ['wasm-mlp', 'wasm'],
] as const)('seeded training in separate processes (%s)', (variant, backend) => {
  it('gives bitwise-identical weights for the same seed and different ones for another seed', async () => {
    // Two at a time: the machine has two cores. The second run's "user code" also calls
    // Math.random between steps: the tfjs stream is separate, so the weights must not move.
    const [first, second] = await Promise.all([
      train(20261128, variant),
      train(20261128, variant, 5),
    ]);
    const other = await train(7, variant);

    expect(first.backend).toBe(backend);
    expect(first.weights).toBeGreaterThanOrEqual(8);
    // Training changed the weights, so the comparison below covers the training steps.
    expect(first.final).not.toBe(first.initial);
    expect(second.initial).toBe(first.initial);
    expect(second.final).toBe(first.final);
    expect(second.firstKernel).toEqual(first.firstKernel);

    expect(other.initial).not.toBe(first.initial);
    expect(other.final).not.toBe(first.final);
    // Three training processes: about 25 s on an idle 2-core machine, sized for 5x slower.
  }, 300_000);
});

describe("tfjs' UMD bundle (a script tag's tfjs), whose tf.util is frozen", () => {
  it("trains to the CommonJS build's weights, shuffled fit and all", async () => {
    // The control cannot replace tf.util.shuffle there; it steers fit's shuffle from around it
    // (FitShuffleWindow), to the order the CommonJS hook gives. Audit 'error' in the child: any
    // uncovered source of randomness would fail it.
    const [commonjs, umd] = await Promise.all([
      train(20261204, 'cpu-conv'),
      train(20261204, 'cpu-conv', 3, 'umd'),
    ]);
    expect(umd.build).toBe('umd');
    expect(umd.initial).toBe(commonjs.initial);
    expect(umd.final).not.toBe(umd.initial);
    expect(umd.final).toBe(commonjs.final);
  }, 300_000);
});
