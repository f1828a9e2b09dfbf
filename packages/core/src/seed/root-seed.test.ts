import { describe, expect, it } from 'vitest';
import { ReprokitError } from '../errors/index.js';
import { assertRootSeed, parseSeedText } from './root-seed.js';

describe('assertRootSeed', () => {
  it('accepts integers 0..2^32-1 and non-empty strings', () => {
    for (const seed of [0, 1, 42, 0xffffffff, 'a', '42', ' ']) {
      expect(() => assertRootSeed(seed)).not.toThrow();
    }
  });

  it('names the source of the seed in the error', () => {
    expect(() => assertRootSeed(-3, 'my seed')).toThrow(
      '[reprokit] [seed] my seed must be an integer in 0..4294967295 or a non-empty string; got -3 (number)',
    );
  });
});

describe('parseSeedText (how REPROKIT_SEED is read)', () => {
  it('reads decimal integers as numbers and other text as string seeds', () => {
    expect(parseSeedText('42', 'REPROKIT_SEED')).toBe(42);
    expect(parseSeedText(' 7 ', 'REPROKIT_SEED')).toBe(7);
    expect(parseSeedText('0', 'REPROKIT_SEED')).toBe(0);
    expect(parseSeedText('4294967295', 'REPROKIT_SEED')).toBe(4294967295);
    expect(parseSeedText('run-a', 'REPROKIT_SEED')).toBe('run-a');
    expect(parseSeedText(' run-a\n', 'REPROKIT_SEED')).toBe('run-a');
    expect(parseSeedText(undefined, 'REPROKIT_SEED')).toBeUndefined();
  });

  it.each(['-1', '1.5', '1e3', '0x10', '4294967296', '', '  \n'])(
    'rejects %j with SEED_INVALID naming the variable',
    (text) => {
      let error: unknown;
      try {
        parseSeedText(text, 'REPROKIT_SEED');
      } catch (caught) {
        error = caught;
      }
      expect(ReprokitError.isInstance(error)).toBe(true);
      expect((error as ReprokitError).code).toBe('SEED_INVALID');
      expect((error as Error).message).toContain('REPROKIT_SEED');
    },
  );
});
