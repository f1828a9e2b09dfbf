import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { currentSeedScope, seedEverything } from './seed-everything.js';

const helper = fileURLToPath(new URL('./child-process-draws.test-helper.ts', import.meta.url));
const native = Math.random;
afterEach(() => {
  currentSeedScope()?.release();
  Math.random = native;
});

function runChild(args: string[], input: string, env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', helper, ...args],
    { input, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 },
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { root: number | string; draws: number[] };
}

const draws = (count: number) => Array.from({ length: count }, () => Math.random());

describe('seed state across processes', () => {
  it('a snapshot after k draws, restored in a fresh process, continues with draw k+1', () => {
    const k = 137;
    seedEverything(42);
    const uninterrupted = draws(k + 20);

    const scope = seedEverything(42);
    draws(k);
    const json = JSON.stringify(scope.snapshot());
    scope.release();

    const child = runChild(['resume', '20'], json);
    expect(child.root).toBe(42);
    expect(child.draws).toEqual(uninterrupted.slice(k, k + 20));
    // Bitwise, not just ===: every float is the same double.
    child.draws.forEach((value, index) => {
      expect(Object.is(value, uninterrupted[k + index])).toBe(true);
    });
  });

  it('REPROKIT_SEED=42 in another process draws what seedEverything(42) draws here', () => {
    seedEverything(42);
    const here = draws(10);
    const child = runChild(['environment', '10'], '', { REPROKIT_SEED: '42' });
    expect(child.root).toBe(42);
    expect(child.draws).toEqual(here);
  });
});
