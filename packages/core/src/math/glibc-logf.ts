import { float32Bits, float32FromBits } from './float-bits.js';
import { fusedMultiplyAdd } from './fused-multiply-add.js';

/*
 * glibc's logf (2.28 and later, from Arm's optimized-routines), as the FMA variant
 * `__logf_fma` that x86-64 glibc selects on CPUs with FMA and AVX2. The operations and their
 * order follow that compiled function: every multiply-add that GCC fused there is fused here,
 * since an unfused one can change the float result (see docs/exact-math.md).
 *
 * x = 2^k * z, z in [0x3f330000, 2 * 0x3f330000) split into 16 subintervals by its top mantissa
 * bits; c is near the centre of z's subinterval and log(x) = k*ln2 + log(c) + log1p(z/c - 1),
 * log1p by a degree-4 polynomial, all in double, rounded to float once at the end.
 */

// Per subinterval i: 1/c and log(c), the 16 pairs glibc's data table holds.
const inverseCenters = [
  1.398907162146528, 1.3403141896637998, 1.286432210124115, 1.2367150214269895, 1.1906977166711752,
  1.1479821020556429, 1.1082251448272158, 1.0711297413057381, 1.036437278977283, 1,
  0.9492859795739057, 0.8951049428609004, 0.8476821620351103, 0.8050314851692001,
  0.7664671008843108, 0.731428603316328,
];
const logCenters = [
  -0.33569133332882284, -0.2929040563774074, -0.2518726580937369, -0.21245868807117255,
  -0.17453945183745634, -0.1380057072319758, -0.10275976698545139, -0.06871392447020525,
  -0.0357891387398228, 0, 0.05204517742929496, 0.11081431298787942, 0.1652495223695143,
  0.21687389031699977, 0.2659635028121397, 0.3127556664073557,
];
const ln2 = Math.LN2; // 0x1.62e42fefa39efp-1, the double nearest ln 2
const poly0 = -0.25089342214237154;
const poly1 = 0.333456765744066;
const poly2 = -0.4999997485802103;

const subintervalOffset = 0x3f330000;

/**
 * Natural logarithm of a float32, bit for bit what glibc's `logf` returns on x86-64 Linux
 * (glibc 2.28 or later on a CPU with FMA, the variant x86-64 glibc picks there). The input must be
 * a float32 value (one that `Math.fround` leaves unchanged); the result is one too.
 * Not correctly rounded (glibc's worst case is 0.82 ulp): it matches glibc, not the exact log.
 *
 * @example
 * glibcLogf(Math.fround(0.5)); // -0.6931471824645996, Math.fround(Math.log(0.5))
 */
export function glibcLogf(x: number): number {
  let bits = float32Bits(x);
  if (bits === 0x3f800000) return 0;
  if ((bits - 0x00800000) >>> 0 >= 0x7f000000) {
    // Zero, subnormal, negative, infinite or NaN.
    if ((bits & 0x7fffffff) === 0) return Number.NEGATIVE_INFINITY;
    if (bits === 0x7f800000) return x;
    if (bits >= 0x80000000 || bits > 0x7f800000) return Number.NaN;
    // Positive subnormal: scale into the normal range (exactly), then undo in the exponent.
    bits = (float32Bits(x * 8388608) - (23 << 23)) >>> 0;
  }
  const offsetBits = (bits - subintervalOffset) >>> 0;
  const index = (offsetBits >>> 19) & 15;
  const exponent = (offsetBits | 0) >> 23;
  const z = float32FromBits((bits - (offsetBits & 0xff800000)) >>> 0);
  const inverseCenter = inverseCenters[index]!;
  const logCenter = logCenters[index]!;

  const r = fusedMultiplyAdd(z, inverseCenter, -1);
  const y0 = fusedMultiplyAdd(exponent, ln2, logCenter);
  const r2 = r * r;
  let y = fusedMultiplyAdd(r, poly1, poly2);
  y = fusedMultiplyAdd(r2, poly0, y);
  y = fusedMultiplyAdd(r2, y, r + y0);
  return Math.fround(y);
}
