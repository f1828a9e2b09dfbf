import { describe, expect, it } from 'vitest';
import { seededWords } from './exact-math-inputs.test-helper.js';
import { fusedMultiplyAdd } from './fused-multiply-add.js';

/** A finite double as mantissa * 2^exponent with an integer mantissa (exact). */
function decompose(value: number): [bigint, number] {
  if (value === 0) return [0n, 0];
  let exponent = Math.floor(Math.log2(Math.abs(value))) - 52;
  let mantissa = value / 2 ** exponent;
  while (!Number.isInteger(mantissa)) {
    exponent -= 1;
    mantissa = value / 2 ** exponent;
  }
  return [BigInt(mantissa), exponent];
}

/** a*b + c rounded once, from exact integer arithmetic (Number(bigint) rounds to nearest even). */
function exactFusedMultiplyAdd(a: number, b: number, c: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const low = Math.min(ea + eb, ec);
  const sum = ma * mb * 2n ** BigInt(ea + eb - low) + mc * 2n ** BigInt(ec - low);
  if (sum === 0n) return a * b + c; // the sign of an exact zero follows IEEE's rule
  return Number(sum) * 2 ** low; // exact scaling: results stay normal in these tests
}

describe('fusedMultiplyAdd', () => {
  it('rounds a*b + c once, like C fma, on 200,000 seeded triples (plain, cancelling, tie-making)', () => {
    const word = seededWords(99);
    const double = (exponentRange: number) => {
      const mantissa = 1 + (word() * 2 ** 21 + (word() >>> 11)) * 2 ** -53;
      const exponent = (word() % (2 * exponentRange + 1)) - exponentRange;
      return (word() & 1 ? -1 : 1) * mantissa * 2 ** exponent;
    };
    const wrong: string[] = [];
    for (let index = 0; index < 200_000; index++) {
      const a = double(30);
      const b = double(30);
      let c: number;
      switch (index % 4) {
        case 0:
          c = double(60);
          break;
        case 1:
          c = -(a * b) * (1 + (word() % 64) * 2 ** -52); // heavy cancellation
          break;
        case 2:
          c = -(a * b); // leaves exactly the product's rounding error
          break;
        default: {
          // Short mantissas make exact products, so that a*b + c can land on a tie.
          const shortA = Math.round(a * 2 ** 20) / 2 ** 20 || 1;
          const shortB = Math.round(b * 2 ** 20) / 2 ** 20 || 1;
          const product = shortA * shortB;
          c =
            -product +
            (word() & 1 ? 1 : -1) * 2 ** (Math.floor(Math.log2(Math.abs(product || 1))) - 54);
          const ours = fusedMultiplyAdd(shortA, shortB, c);
          const expected = exactFusedMultiplyAdd(shortA, shortB, c);
          if (!Object.is(ours, expected))
            wrong.push(`${shortA} * ${shortB} + ${c}: ${ours} != ${expected}`);
          continue;
        }
      }
      const ours = fusedMultiplyAdd(a, b, c);
      const expected = exactFusedMultiplyAdd(a, b, c);
      if (!Object.is(ours, expected)) wrong.push(`${a} * ${b} + ${c}: ${ours} != ${expected}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('rounds once where rounding the low parts first would land on a tie (why it rounds to odd)', () => {
    // a*b = 2^-53 * (1 + e) with 0 < e < 2^-53, so a*b + 1 lies just above the midpoint 1 + 2^-53:
    // the answer is 1 + 2^-52, while adding the rounded low parts first gives the tie, and 1.
    const b = 1 - 2 ** -30 + 2 ** -53;
    for (let scale = -40; scale <= 40; scale += 8) {
      for (const sign of [1, -1]) {
        const a = sign * (1 + 2 ** -30) * 2 ** (scale - 53);
        const c = sign * 2 ** scale;
        expect(fusedMultiplyAdd(a, b, c)).toBe(sign * (1 + 2 ** -52) * 2 ** scale);
        expect(exactFusedMultiplyAdd(a, b, c)).toBe(sign * (1 + 2 ** -52) * 2 ** scale);
      }
    }
  });

  it('gives the two-rounding answer only where that is also the one-rounding answer', () => {
    expect(fusedMultiplyAdd(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
    expect((1 + 2 ** -30) * (1 - 2 ** -30) - 1).toBe(0);
    expect(fusedMultiplyAdd(2, 3, 4)).toBe(10);
    expect(fusedMultiplyAdd(Number.POSITIVE_INFINITY, 2, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(fusedMultiplyAdd(Number.NaN, 2, 1)).toBeNaN();
    expect(fusedMultiplyAdd(0, 5, 3)).toBe(3);
  });
});
