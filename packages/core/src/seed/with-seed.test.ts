import { afterEach, describe, expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';
import { createRng } from './rng.js';
import type { SeedControl } from './seed-control.js';
import { currentSeedScope, seedEverything } from './seed-everything.js';
import { withSeed } from './with-seed.js';

const native = Math.random;
afterEach(() => {
  currentSeedScope()?.release();
  Math.random = native;
});

const firstDraw = (root: number) => createRng(deriveSeed(root, 'math-random')).next();

describe('withSeed', () => {
  it('runs fn seeded, returns its value and releases', () => {
    const value = withSeed(42, (scope) => {
      expect(scope.root).toBe(42);
      return Math.random();
    });
    expect(value).toBe(firstDraw(42));
    expect(Math.random).toBe(native);
    expect(currentSeedScope()).toBeUndefined();
  });

  it('releases when fn throws and rethrows the same error', () => {
    const failure = new Error('boom');
    expect(() =>
      withSeed(1, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(Math.random).toBe(native);
  });

  it('keeps fn’s error when a control also fails to release', () => {
    const stubborn: SeedControl = {
      name: 'stubborn',
      seed() {},
      release() {
        throw new Error('cannot release');
      },
    };
    expect(() =>
      withSeed(
        1,
        () => {
          throw new Error('from fn');
        },
        { controls: [stubborn] },
      ),
    ).toThrow('from fn');
    expect(Math.random).toBe(native);
  });

  it('stays seeded across awaits and releases when the promise resolves', async () => {
    const promise = withSeed(7, async () => {
      const before = Math.random();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return [before, Math.random()];
    });
    // The caveat in the docs: code running meanwhile sees the patched Math.random.
    expect(Math.random).not.toBe(native);
    const values = await promise;
    const expected = createRng(deriveSeed(7, 'math-random'));
    expect(values).toEqual([expected.next(), expected.next()]);
    expect(Math.random).toBe(native);
  });

  it('releases when the promise rejects, passing the rejection on', async () => {
    await expect(
      withSeed(7, async () => {
        await Promise.resolve();
        throw new Error('async boom');
      }),
    ).rejects.toThrow('async boom');
    expect(Math.random).toBe(native);
  });

  it('passes controls through and ends a scope that was active before it', () => {
    const outer = seedEverything(1);
    const seeds: number[] = [];
    withSeed(2, () => undefined, { controls: [{ name: 'tfjs', seed: (s) => void seeds.push(s) }] });
    expect(seeds).toEqual([deriveSeed(2, 'tfjs')]);
    expect(outer.released).toBe(true);
    expect(Math.random).toBe(native);
  });
});
