import seedrandom from 'seedrandom';
import { deriveSeed } from './derive-seed.js';
import { assertRootSeed, type RootSeed } from './root-seed.js';
import { describeValue, SeedError } from './seed-error.js';

/**
 * The JSON-serialisable state of an `Rng`: the four 32-bit words of Tyche-i, as signed
 * 32-bit integers. `JSON.parse(JSON.stringify(state))` restores to bitwise-equal draws.
 */
export interface RngState {
  algorithm: 'tychei';
  a: number;
  b: number;
  c: number;
  d: number;
}

/** A seeded pseudo-random generator whose state can be saved and restored. */
export interface Rng {
  readonly algorithm: 'tychei';
  /**
   * A float in [0, 1) with 53 random bits (two 32-bit outputs), like `Math.random`.
   * A detached function: `Math.random = rng.next` works.
   */
  readonly next: () => number;
  /** The next raw 32-bit output, an integer in 0..2^32-1. Detached like `next`. */
  readonly nextUint32: () => number;
  /** The current state; `restoreRng(state)` continues from exactly here. */
  state(): RngState;
}

type Tychei = seedrandom.StatefulPRNG<seedrandom.State.Tychei>;

const TWO_POW_26 = 0x4000000;
const TWO_POW_MINUS_53 = 1 / 0x20000000000000;
const STATE_WORDS = ['a', 'b', 'c', 'd'] as const;

/**
 * A seeded PRNG (Tyche-i from seedrandom 3.0.5, chosen by measurement: see bench/prng.bench.ts).
 *
 * A numeric seed (integer 0..2^32-1) is Tyche-i's own integer seed; a string seed (non-empty)
 * is first turned into one with `deriveSeed(seed)`. Same seed, same draws on every platform.
 * Bad seeds throw `SeedError` `SEED_INVALID`.
 *
 * @example
 * const rng = createRng(42);
 * const x = rng.next(); // in [0, 1)
 * const saved = JSON.stringify(rng.state());
 * restoreRng(JSON.parse(saved)).next() === rng.next(); // true
 */
export function createRng(seed: RootSeed): Rng {
  assertRootSeed(seed);
  const numericSeed = typeof seed === 'number' ? seed : deriveSeed(seed);
  // seedrandom's types only admit string seeds, but Tyche-i takes an integer seed as is.
  return wrapTychei(seedrandom.tychei(numericSeed as unknown as string, { state: true }));
}

/**
 * An `Rng` that continues from `state` (from `Rng.state()`, possibly through JSON).
 * A state that `Rng.state()` could not have produced throws `SeedError` `SEED_INVALID_STATE`.
 *
 * @example
 * const rng = createRng('experiment-1');
 * rng.next();
 * const copy = restoreRng(rng.state());
 * copy.nextUint32() === rng.nextUint32(); // true
 */
export function restoreRng(state: RngState): Rng {
  const checked = parseRngState(state);
  const words = { a: checked.a, b: checked.b, c: checked.c, d: checked.d };
  return wrapTychei(seedrandom.tychei('', { state: words }));
}

/**
 * Checks that `value` is an `RngState` and returns it, or throws `SEED_INVALID_STATE`
 * (naming `control` when given). Used by controls so that a bad state changes nothing.
 */
export function parseRngState(value: unknown, control?: string): RngState {
  const fail = (problem: string): never => {
    throw new SeedError({
      code: 'SEED_INVALID_STATE',
      message: `not a PRNG state from Rng.state(): ${problem}`,
      control,
    });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`expected an object, got ${describeValue(value)}`);
  }
  const record = value as Record<string, unknown>;
  if (record.algorithm !== 'tychei') {
    return fail(`algorithm must be "tychei", got ${describeValue(record.algorithm)}`);
  }
  const extra = Object.keys(record).filter(
    (key) => key !== 'algorithm' && !(STATE_WORDS as readonly string[]).includes(key),
  );
  if (extra.length > 0) return fail(`unexpected field "${extra[0]}"`);
  for (const word of STATE_WORDS) {
    const wordValue = record[word];
    if (
      typeof wordValue !== 'number' ||
      !Number.isInteger(wordValue) ||
      wordValue < -0x80000000 ||
      wordValue > 0x7fffffff
    ) {
      return fail(`field "${word}" must be a signed 32-bit integer, got ${describeValue(wordValue)}`);
    }
  }
  // Tyche-i never leaves the all-zero state once in it, and never reaches it from a seed.
  if (STATE_WORDS.every((word) => record[word] === 0)) return fail('all four words are zero');
  return record as unknown as RngState;
}

function wrapTychei(prng: Tychei): Rng {
  const int32 = prng.int32;
  return {
    algorithm: 'tychei',
    // Top 27 bits of the first output and top 26 of the second: 53 bits, as for doubles.
    next: () => ((int32() >>> 5) * TWO_POW_26 + (int32() >>> 6)) * TWO_POW_MINUS_53,
    nextUint32: () => int32() >>> 0,
    state: () => {
      const words = prng.state();
      return { algorithm: 'tychei', a: words.a, b: words.b, c: words.c, d: words.d };
    },
  };
}
