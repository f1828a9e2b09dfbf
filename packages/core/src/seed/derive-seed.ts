import { sha256 } from '../hash/sha-256.js';
import { assertRootSeed, type RootSeed } from './root-seed.js';
import { describeValue, SeedError } from './seed-error.js';

/** Domain tag hashed in front of every derivation; bump it only with a documented migration. */
export const SEED_DERIVATION_TAG = 'reprokit/seed/v1';

/**
 * What `deriveSeed` returns when the hash's first four bytes are all zero (odds 1 in 2^32):
 * 0 means "unseeded" to tfjs, so it is never returned. The value is SHA-256's first
 * initial hash word, a number with no other meaning here.
 */
export const ZERO_SEED_REPLACEMENT = 0x6a09e667;

const encoder = new TextEncoder();

/**
 * A stable, nonzero uint32 seed for one named part of a run, derived from a root seed.
 *
 * The algorithm, fixed forever for `reprokit/seed/v1`: take the UTF-8 bytes of
 * `JSON.stringify(['reprokit/seed/v1', root, ...path])`, hash them with SHA-256, and read
 * the first four bytes as a big-endian uint32; a result of 0 becomes `0x6a09e667`. The JSON
 * encoding keeps the number `42` and the string `'42'` apart (`42` vs `"42"`) and keeps
 * paths unambiguous (`['a', 'b']` vs `['ab']`). `root` is an integer in 0..2^32-1 or a
 * non-empty string; each path part is a non-empty string. Bad input throws `SeedError`
 * (`SEED_INVALID`, `SEED_INVALID_PATH`) naming the value.
 *
 * @example
 * deriveSeed(42, 'math-random'); // 4271911321, on every platform
 * deriveSeed(42, 'tfjs', 'dropout');
 */
export function deriveSeed(root: RootSeed, ...path: string[]): number {
  assertRootSeed(root, 'root seed');
  path.forEach((part, index) => {
    if (typeof part !== 'string' || part.length === 0) {
      throw new SeedError({
        code: 'SEED_INVALID_PATH',
        message: `deriveSeed path part ${index} must be a non-empty string; got ${describeValue(part)}`,
      });
    }
  });
  const digest = sha256(encoder.encode(JSON.stringify([SEED_DERIVATION_TAG, root, ...path])));
  const seed = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  return nonZeroSeed(seed);
}

/**
 * `seed`, or `ZERO_SEED_REPLACEMENT` when `seed` is 0: the last step of `deriveSeed`, exported
 * so that the rare zero case can be tested and reused by code deriving seeds its own way.
 *
 * @example
 * nonZeroSeed(0); // 0x6a09e667
 * nonZeroSeed(7); // 7
 */
export function nonZeroSeed(seed: number): number {
  return seed === 0 ? ZERO_SEED_REPLACEMENT : seed;
}
