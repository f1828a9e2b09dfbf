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

const TWO_POW_26 = 0x4000000;
const TWO_POW_MINUS_53 = 1 / 0x20000000000000;
const STATE_WORDS = ['a', 'b', 'c', 'd'] as const;

/**
 * A seeded PRNG: Tyche-i as seeded by seedrandom 3.0.5 (chosen by measurement: see
 * bench/prng.bench.ts and docs/seeds.md).
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
  // seedrandom does the seeding (integer seed, 20 discarded rounds); its types only admit
  // string seeds, but Tyche-i takes an integer seed as is.
  const seeded = seedrandom.tychei(numericSeed as unknown as string, { state: true }).state();
  return tycheiFromWords(seeded.a, seeded.b, seeded.c, seeded.d);
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
  return tycheiFromWords(checked.a, checked.b, checked.c, checked.d);
}

/**
 * Checks that `value` is an `RngState` and returns it, or throws `SEED_INVALID_STATE`
 * (naming `control` when given). Controls call it before touching anything, so that a bad
 * state changes nothing.
 *
 * @example
 * const rng = restoreRng(parseRngState(JSON.parse(text), 'my-control'));
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
      return fail(
        `field "${word}" must be a signed 32-bit integer, got ${describeValue(wordValue)}`,
      );
    }
  }
  // Tyche-i never leaves the all-zero state once in it, and never reaches it from a seed.
  if (STATE_WORDS.every((word) => record[word] === 0)) return fail('all four words are zero');
  return record as unknown as RngState;
}

/**
 * Tyche-i stepping, bit-identical to seedrandom's `lib/tychei.js` (rng.test.ts checks it).
 * seedrandom's own generator is used for seeding only: its 53-bit `double()` measured between
 * 0.40x and 0.69x native `Math.random` depending on how many Tyche-i generators the process
 * had made (they share JIT feedback on a plain object), while this stepping keeps 0.7x. The
 * state lives in an Int32Array because closure variables holding int32 values beyond the
 * small-integer range are boxed on every store.
 */
function tycheiFromWords(a: number, b: number, c: number, d: number): Rng {
  const words = Int32Array.of(a, b, c, d);
  const step = (): number => {
    let a = words[0]!;
    let b = words[1]!;
    let c = words[2]!;
    let d = words[3]!;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    b = (b << 20) ^ (b >>> 12) ^ c;
    c = (c - d) | 0;
    d = (d << 16) ^ (c >>> 16) ^ a;
    a = (a - b) | 0;
    words[0] = a;
    words[1] = b;
    words[2] = c;
    words[3] = d;
    return a;
  };
  // The same round as `step`, written out twice: calling `step` twice measured slower.
  const next = (): number => {
    let a = words[0]!;
    let b = words[1]!;
    let c = words[2]!;
    let d = words[3]!;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    b = (b << 20) ^ (b >>> 12) ^ c;
    c = (c - d) | 0;
    d = (d << 16) ^ (c >>> 16) ^ a;
    a = (a - b) | 0;
    const high = a >>> 5;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    b = (b << 20) ^ (b >>> 12) ^ c;
    c = (c - d) | 0;
    d = (d << 16) ^ (c >>> 16) ^ a;
    a = (a - b) | 0;
    words[0] = a;
    words[1] = b;
    words[2] = c;
    words[3] = d;
    // Top 27 bits of one output and top 26 of the next: 53 bits, as many as a double holds.
    return (high * TWO_POW_26 + (a >>> 6)) * TWO_POW_MINUS_53;
  };
  return {
    algorithm: 'tychei',
    next,
    nextUint32: () => step() >>> 0,
    state: () => ({
      algorithm: 'tychei',
      a: words[0]!,
      b: words[1]!,
      c: words[2]!,
      d: words[3]!,
    }),
  };
}
