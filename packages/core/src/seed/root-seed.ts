import { describeValue, SeedError } from './seed-error.js';

/** A root seed: an integer in 0..2^32-1 or a non-empty string. */
export type RootSeed = number | string;

/** The largest numeric seed, 2^32-1. */
export const MAX_SEED = 0xffffffff;

/**
 * Throws `SEED_INVALID` unless `seed` is an integer in 0..2^32-1 or a non-empty string.
 * `label` names where the seed came from (`'seed'`, `'REPROKIT_SEED'`) in the message.
 *
 * @example
 * assertRootSeed(42); // ok
 * assertRootSeed(-1); // throws SeedError SEED_INVALID: seed must be ... got -1 (number)
 */
export function assertRootSeed(seed: unknown, label = 'seed'): asserts seed is RootSeed {
  if (typeof seed === 'string') {
    if (seed.length > 0) return;
    throw new SeedError({
      code: 'SEED_INVALID',
      message: `${label} must be an integer in 0..${MAX_SEED} or a non-empty string; got an empty string`,
    });
  }
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) return;
  throw new SeedError({
    code: 'SEED_INVALID',
    message: `${label} must be an integer in 0..${MAX_SEED} or a non-empty string; got ${describeValue(seed)}`,
  });
}

/**
 * Reads a root seed from an environment variable's text.
 *
 * Text that reads as a number must be a decimal integer in 0..2^32-1 and becomes that number,
 * so `REPROKIT_SEED=42` means the same as `seedEverything(42)`. Any other text is a string
 * seed, without surrounding whitespace; empty or whitespace-only text is refused. Returns
 * `undefined` when the variable is unset.
 *
 * @example
 * parseSeedText('42', 'REPROKIT_SEED'); // 42
 * parseSeedText('run-a', 'REPROKIT_SEED'); // 'run-a'
 */
export function parseSeedText(text: string | undefined, label: string): RootSeed | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  // Anything Number() would accept ("1e3", "-1", "0x10", "4.5") is a number the user meant,
  // and only plain decimal integers in range are accepted, rather than silently hashing it.
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) {
    const value = Number(trimmed);
    if (/^\d+$/.test(trimmed) && value <= MAX_SEED) return value;
    throw new SeedError({
      code: 'SEED_INVALID',
      message: `${label} reads as a number but is not a decimal integer in 0..${MAX_SEED}; got ${describeValue(text)}`,
    });
  }
  // Surrounding whitespace is never meant (a stray newline from a .env file); text that is
  // only whitespace is refused as empty.
  if (trimmed === '') {
    throw new SeedError({
      code: 'SEED_INVALID',
      message: `${label} must be an integer in 0..${MAX_SEED} or a non-empty string; got ${text === '' ? 'an empty string' : `only whitespace ${describeValue(text)}`}`,
    });
  }
  return trimmed;
}
