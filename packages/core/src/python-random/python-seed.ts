import { PythonRandomError } from './python-random-error.js';
import { sha512 } from './sha-512.js';

/**
 * What `pythonRandom(seed)` / `random.seed(seed)` accepts:
 * - a `number` that is an integer, or a `bigint`: Python's `int` (any size, any sign);
 * - a `number` that is not an integer: Python's `float` (seeded through `hash(float)`);
 * - a `string`: Python's `str` (UTF-8 bytes, then version 2: `bytes + sha512(bytes)`);
 * - a `Uint8Array`: Python's `bytes` / `bytearray` (version 2, as above).
 */
export type PythonSeed = number | bigint | string | Uint8Array;

const TWO_POW_32 = 0x100000000n;
/** Python's hash modulus for numbers, 2^61 - 1 (a Mersenne prime). */
const HASH_MODULUS = (1n << 61n) - 1n;

/**
 * The `init_by_array` key CPython 3 builds for `random.seed(seed)` (version 2): the 32-bit
 * words of the seed integer, least significant first (one zero word for 0).
 *
 * @example
 * pythonSeedKey(2n ** 32n + 5n); // [5, 1]
 */
export function pythonSeedKey(seed: PythonSeed): number[] {
  return integerToWords(pythonSeedInteger(seed));
}

/**
 * The non-negative integer CPython's C `random_seed` splits into words: |n| for an int,
 * `(size_t) hash(x)` for a float, and for str / bytes the version 2 integer
 * `int.from_bytes(b + sha512(b).digest(), 'big')`.
 *
 * @example
 * pythonSeedInteger(-7); // 7n
 */
export function pythonSeedInteger(seed: PythonSeed): bigint {
  if (typeof seed === 'bigint') return seed < 0n ? -seed : seed;
  if (typeof seed === 'number') {
    if (Number.isInteger(seed)) return BigInt(Math.abs(seed));
    if (Number.isNaN(seed)) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_INVALID_SEED',
        generator: 'python',
        call: 'random.seed',
        message:
          'a NaN seed is hashed by object identity in Python 3.10+, so its stream cannot be reproduced',
      });
    }
    return BigInt.asUintN(64, floatHash(seed));
  }
  if (typeof seed === 'string') return bytesSeedInteger(utf8Strict(seed));
  if (seed instanceof Uint8Array) return bytesSeedInteger(seed);
  throw new PythonRandomError({
    code: 'PYTHON_RANDOM_INVALID_SEED',
    generator: 'python',
    call: 'random.seed',
    message: `a seed must be a number, bigint, string or Uint8Array; got ${describe(seed)}`,
  });
}

/** `int.from_bytes(b + sha512(b).digest(), 'big')`. */
function bytesSeedInteger(bytes: Uint8Array): bigint {
  const all = new Uint8Array(bytes.length + 64);
  all.set(bytes);
  all.set(sha512(bytes), bytes.length);
  let value = 0n;
  for (const byte of all) value = (value << 8n) | BigInt(byte);
  return value;
}

/** The 32-bit words of a non-negative integer, least significant first; [0] for 0. */
export function integerToWords(value: bigint): number[] {
  if (value === 0n) return [0];
  const words: number[] = [];
  for (let rest = value; rest > 0n; rest >>= 32n) words.push(Number(rest % TWO_POW_32));
  return words;
}

/**
 * Python's `hash(x)` for a finite or infinite float: the value of |x| modulo 2^61 - 1 (a
 * rational reduced with the inverse of 2, which is 2^60), signed like x, with -1 mapped to -2.
 */
function floatHash(x: number): bigint {
  if (x === Number.POSITIVE_INFINITY) return 314159n;
  if (x === Number.NEGATIVE_INFINITY) return -314159n;
  const sign = x < 0 ? -1n : 1n;
  // |x| = mantissa * 2^exponent with an integer mantissa of at most 53 bits.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biasedExponent = Number(bits >> 52n);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  // 2^61 = 1 (mod 2^61 - 1), so 2^e = 2^(e mod 61) for any integer e, negative included.
  const shift = BigInt(((exponent % 61) + 61) % 61);
  const reduced = ((mantissa % HASH_MODULUS) << shift) % HASH_MODULUS;
  const hash = sign * reduced;
  return hash === -1n ? -2n : hash;
}

/** UTF-8 like Python's `str.encode()`, which refuses lone surrogates (TextEncoder would not). */
function utf8Strict(text: string): Uint8Array {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      throw new PythonRandomError({
        code: 'PYTHON_RANDOM_INVALID_SEED',
        generator: 'python',
        call: 'random.seed',
        message: `the string seed has a lone surrogate at index ${i}; Python's str.encode() refuses it`,
      });
    }
  }
  return new TextEncoder().encode(text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
