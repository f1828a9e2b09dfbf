import { afterEach, describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import { mathRandomSeedControl } from './math-random-seed-control.js';
import { createRng } from './rng.js';

const native = Math.random;
afterEach(() => {
  Math.random = native;
});

describe('mathRandomSeedControl', () => {
  it('makes Math.random draw from createRng(seed) and gives the original back on release', () => {
    const control = mathRandomSeedControl();
    expect(control.name).toBe('math-random');
    control.seed(1234);
    const expected = createRng(1234);
    expect([Math.random(), Math.random(), Math.random()]).toEqual([
      expected.next(),
      expected.next(),
      expected.next(),
    ]);
    control.release();
    expect(Math.random).toBe(native);
    control.release();
    expect(Math.random).toBe(native);
  });

  it('keeps the function from before the first seed when seeded twice', () => {
    const before = Math.random;
    const control = mathRandomSeedControl();
    control.seed(1);
    control.seed(2);
    expect(Math.random()).toBe(createRng(2).next());
    control.release();
    expect(Math.random).toBe(before);
  });

  it('resumes from a JSON snapshot in a new control, and restore alone patches', () => {
    const first = mathRandomSeedControl();
    first.seed(99);
    Math.random();
    const saved = JSON.stringify(first.snapshot());
    const next = [Math.random(), Math.random()];
    first.release();

    const second = mathRandomSeedControl();
    second.restore(JSON.parse(saved));
    expect([Math.random(), Math.random()]).toEqual(next);
    second.release();
    expect(Math.random).toBe(native);
  });

  it('refuses a corrupted state naming the control, and the stream goes on unchanged', () => {
    const control = mathRandomSeedControl();
    control.seed(5);
    const expected = createRng(5);
    expected.next();
    Math.random();
    let error: unknown;
    try {
      control.restore({ algorithm: 'tychei', a: 1, b: 2, c: 3 });
    } catch (caught) {
      error = caught;
    }
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect((error as ReprokitError).code).toBe('SEED_INVALID_STATE');
    expect((error as Error).message).toContain('control "math-random"');
    expect(Math.random()).toBe(expected.next());
    control.release();
  });

  it('refuses bad seeds and a snapshot before seeding, without patching', () => {
    const control = mathRandomSeedControl();
    for (const seed of [-1, 0.5, Number.NaN, 2 ** 32, '7' as unknown as number]) {
      expect(() => control.seed(seed)).toThrow(/control "math-random": seed must be an integer/);
    }
    expect(Math.random).toBe(native);
    expect(() => control.snapshot()).toThrow(/snapshot\(\) before seed\(\)/);
  });
});
