import { describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import { deriveSeed, nonZeroSeed, ZERO_SEED_REPLACEMENT } from './derive-seed.js';

describe('deriveSeed', () => {
  // Pinned: SHA-256 of UTF-8 JSON ["reprokit/seed/v1", root, ...path], first 4 bytes big-endian.
  // Recomputed independently with Python hashlib when written; changing any of these breaks
  // every saved experiment, so they must never change.
  it.each([
    [42, ['math-random'], 4271911321],
    ['42', ['math-random'], 1805722768],
    [42, [], 3264579811],
    ['42', [], 1580154132],
    [0, ['math-random'], 967493862],
    [4294967295, ['tfjs'], 4001142882],
    ['experiment-1', ['tfjs', 'dropout'], 1638797472],
    [42, ['a', 'b'], 1618303648],
    [42, ['ab'], 1985803844],
    ['héllo ✓', ['onnxruntime'], 143574540],
  ] as const)('deriveSeed(%j, ...%j) is %i', (root, path, expected) => {
    expect(deriveSeed(root, ...path)).toBe(expected);
  });

  it('keeps the number 42 and the string "42" apart, and paths unambiguous', () => {
    expect(deriveSeed(42, 'x')).not.toBe(deriveSeed('42', 'x'));
    expect(deriveSeed(42, 'a', 'b')).not.toBe(deriveSeed(42, 'ab'));
    expect(deriveSeed(42, 'a', 'b')).not.toBe(deriveSeed(42, 'b', 'a'));
  });

  it('returns distinct nonzero uint32 values across many paths', () => {
    const seeds = Array.from({ length: 2000 }, (_, i) => deriveSeed(7, `layer-${i}`));
    for (const seed of seeds) {
      expect(Number.isInteger(seed) && seed > 0 && seed <= 0xffffffff).toBe(true);
    }
    expect(new Set(seeds).size).toBe(seeds.length);
  });

  it('maps a zero hash to the documented replacement and leaves other values alone', () => {
    expect(nonZeroSeed(0)).toBe(ZERO_SEED_REPLACEMENT);
    expect(ZERO_SEED_REPLACEMENT).toBe(0x6a09e667);
    expect(nonZeroSeed(1)).toBe(1);
    expect(nonZeroSeed(0xffffffff)).toBe(0xffffffff);
  });

  it.each([
    [Number.NaN, 'NaN (number)'],
    [-1, '-1 (number)'],
    [1.5, '1.5 (number)'],
    [2 ** 32, '4294967296 (number)'],
    [Number.POSITIVE_INFINITY, 'Infinity (number)'],
    ['', 'an empty string'],
    [42n, '42n (bigint)'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{}, 'a value of type object'],
    [true, 'true (boolean)'],
  ])('rejects the root %s with SEED_INVALID naming the value', (root, shown) => {
    const error = catchError(() => deriveSeed(root as never, 'x'));
    expect(ReprokitError.isInstance(error)).toBe(true);
    expect((error as ReprokitError).code).toBe('SEED_INVALID');
    expect((error as Error).message).toContain(`root seed must be an integer in 0..4294967295`);
    expect((error as Error).message).toContain(shown);
  });

  it('rejects a path part that is not a non-empty string with SEED_INVALID_PATH', () => {
    const empty = catchError(() => deriveSeed(42, 'tfjs', ''));
    expect((empty as ReprokitError).code).toBe('SEED_INVALID_PATH');
    expect((empty as Error).message).toContain('path part 1 must be a non-empty string');
    const numeric = catchError(() => deriveSeed(42, 3 as never));
    expect((numeric as ReprokitError).code).toBe('SEED_INVALID_PATH');
    expect((numeric as Error).message).toContain('3 (number)');
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
