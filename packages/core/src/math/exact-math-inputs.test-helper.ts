/*
 * Seeded input sets for the exact-math tests: the values the generators really pass (Python's
 * random() and 2*pi*random(), NumPy's polar r2, TensorFlow's u1 and 2*pi*u floats) and the
 * regions where libm implementations differ (near 1, subnormals, huge arguments, every exponent).
 */

/** A small seeded 32-bit generator (mulberry32) so inputs are the same on every run. */
export function seededWords(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface InputSet {
  name: string;
  values: Float64Array | Float32Array;
}

const scratch = new DataView(new ArrayBuffer(8));

function doubleFromWords(high: number, low: number): number {
  scratch.setUint32(0, high);
  scratch.setUint32(4, low);
  return scratch.getFloat64(0);
}

function floatFromBits(bits: number): number {
  scratch.setUint32(0, bits);
  return scratch.getFloat32(0);
}

function fill<T extends Float64Array | Float32Array>(
  values: T,
  make: (index: number) => number,
): T {
  for (let index = 0; index < values.length; index++) values[index] = make(index);
  return values;
}

/** CPython's random(): (a >> 5) * 2^26 + (b >> 6), over 2^53. NumPy's random_sample is the same. */
function pythonRandom(word: () => number): number {
  return ((word() >>> 5) * 67108864 + (word() >>> 6)) / 9007199254740992;
}

const specialDoubles = [
  0,
  -0,
  1,
  -1,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** -1022,
  2 ** -1022 - 2 ** -1074,
  Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  2 * Math.PI,
  1e22,
  2 ** 1023,
  2 ** -26,
  2 ** -27,
  0.126,
  0.855469,
  2.426265,
  105414350,
  0.9375,
  1.064697265625,
];

/** Inputs for the double functions; `forLog` picks the sets that matter for log, else sin/cos. */
export function doubleInputSets(seed: number, forLog: boolean): InputSet[] {
  const word = seededWords(seed);
  const size = (count: number) => count;
  const sets: InputSet[] = [
    { name: 'special values', values: Float64Array.from(specialDoubles) },
    {
      name: 'random(): k * 2^-53',
      values: fill(new Float64Array(size(forLog ? 250_000 : 200_000)), () => pythonRandom(word)),
    },
    {
      name: 'random bits (every sign, exponent, NaN and infinity)',
      values: fill(new Float64Array(size(forLog ? 100_000 : 50_000)), () =>
        doubleFromWords(word(), word()),
      ),
    },
    {
      name: 'uniform in exponent, below 1',
      values: fill(new Float64Array(size(150_000)), () => {
        // exponent 1..1022 below the bias: values in [2^-1022, 1).
        const high = ((1023 - 1 - (word() % 1022)) << 20) | (word() & 0xfffff);
        return doubleFromWords(high >>> 0, word());
      }),
    },
    {
      name: 'subnormals',
      values: fill(new Float64Array(size(50_000)), () => doubleFromWords(word() & 0xfffff, word())),
    },
  ];
  if (forLog) {
    sets.push(
      {
        name: '1 - random()',
        values: fill(new Float64Array(size(100_000)), () => 1 - pythonRandom(word)),
      },
      {
        name: "NumPy's polar r2 = x1^2 + x2^2 in (0, 1)",
        values: fill(new Float64Array(size(150_000)), () => {
          for (;;) {
            const x1 = 2 * pythonRandom(word) - 1;
            const x2 = 2 * pythonRandom(word) - 1;
            const r2 = x1 * x1 + x2 * x2;
            if (r2 < 1 && r2 !== 0) return r2;
          }
        }),
      },
      {
        name: 'near 1 (within 2^-4, and within a few thousand ulps)',
        values: fill(new Float64Array(size(100_000)), (index) => {
          if (index % 2 === 0) return 1 + (pythonRandom(word) - 0.5) * 2 ** -(3 + (word() % 50));
          const ulps = (word() % 4096) + 1;
          return index % 4 === 1 ? 1 + ulps * 2 ** -52 : 1 - ulps * 2 ** -53;
        }),
      },
      {
        name: 'every positive double above 1 (uniform in exponent)',
        values: fill(new Float64Array(size(100_000)), () =>
          doubleFromWords(((1023 + (word() % 1024)) << 20) | (word() & 0xfffff), word()),
        ),
      },
    );
  } else {
    sets.push(
      {
        name: '2*pi*random() (CPython gauss and normalvariate)',
        values: fill(new Float64Array(size(420_000)), () => pythonRandom(word) * 6.283185307179586),
      },
      {
        name: 'huge: |x| in [2^20, 2^1024), uniform in exponent, both signs',
        values: fill(new Float64Array(size(40_000)), () => {
          const high =
            ((1043 + (word() % 1004)) << 20) | (word() & 0xfffff) | (word() & 0x80000000);
          return doubleFromWords(high >>> 0, word());
        }),
      },
      {
        name: 'medium: [-1e9, 1e9]',
        values: fill(new Float64Array(size(100_000)), () => (pythonRandom(word) - 0.5) * 2e9),
      },
      {
        name: 'next to multiples of pi/2 (n up to 2^20, a few ulps away)',
        values: fill(new Float64Array(size(50_000)), () => {
          const n = (word() % 1048576) + 1;
          const center = n * (Math.PI / 2);
          const ulp = 2 ** (Math.floor(Math.log2(center)) - 52);
          return center + ((word() % 9) - 4) * ulp;
        }),
      },
    );
  }
  return sets;
}

const specialFloats = [
  0,
  -0,
  1,
  -1,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  1.401298464324817e-45,
  1.1754943508222875e-38,
  3.4028234663852886e38,
  Math.fround(Math.PI),
  Math.fround(Math.PI / 4),
  Math.fround(2 * Math.PI),
  120,
  Math.fround(1e-7),
  2 ** -12,
  2 ** -126,
];

/**
 * Every positive float32 whose sinf or cosf differs between glibc 2.36's FMA and non-FMA sincosf
 * (found by scanning all 2^32 floats with scripts/glibc-float-math-dump.c `count`); with their
 * negatives these are the 34 inputs where fusing changes a result, all in glibc's one-step
 * reduction range 17 < |x| < 120.
 */
export const fmaSensitiveFloats = [
  17.278738021850586, 17.27873992919922, 17.27874183654785, 17.278743743896484, 23.55803108215332,
  32.72977828979492, 53.42251968383789, 58.11946487426758, 64.40264892578125, 67.52783203125,
  81.67974090576172, 81.68215942382812, 84.725341796875, 98.68684387207031, 103.67251586914062,
  108.41062927246094, 116.23892974853516,
];

/** TensorFlow's Uint32ToFloat: 23 random mantissa bits under exponent 0, minus 1. */
export function tensorflowUniform(word: number): number {
  return floatFromBits((0x3f800000 | (word & 0x7fffff)) >>> 0) - 1;
}

/** Inputs for the float32 functions; `forLog` picks the sets that matter for logf, else sincosf. */
export function floatInputSets(seed: number, forLog: boolean): InputSet[] {
  const word = seededWords(seed);
  const size = (count: number) => count;
  const epsilon = Math.fround(1e-7);
  const sets: InputSet[] = [
    { name: 'special values', values: Float32Array.from(specialFloats) },
    {
      name: "inputs where glibc's FMA and non-FMA sincosf differ",
      values: Float32Array.from([...fmaSensitiveFloats, ...fmaSensitiveFloats.map((x) => -x)]),
    },
    {
      name: 'float32 in (0, 1), uniform in value',
      values: fill(new Float32Array(size(150_000)), () => Math.fround(pythonRandom(word))),
    },
    {
      name: 'float32 in (0, 1), uniform in exponent (subnormals too)',
      values: fill(new Float32Array(size(150_000)), () => floatFromBits(word() % 0x3f800000)),
    },
    {
      name: 'random float32 bits (every sign, exponent, NaN and infinity)',
      values: fill(new Float32Array(size(150_000)), () => floatFromBits(word())),
    },
    {
      name: 'float32 subnormals',
      values: fill(new Float32Array(size(50_000)), () => floatFromBits(word() & 0x807fffff)),
    },
  ];
  if (forLog) {
    sets.push(
      {
        name: "TensorFlow's u1 = Uint32ToFloat(x), at least 1e-7f",
        values: fill(new Float32Array(size(450_000)), () =>
          Math.max(tensorflowUniform(word()), epsilon),
        ),
      },
      {
        name: 'float32 near 1',
        values: fill(new Float32Array(size(50_000)), () =>
          floatFromBits((0x3f800000 + ((word() % 8192) - 4096)) >>> 0),
        ),
      },
    );
  } else {
    sets.push(
      {
        name: "TensorFlow's v1 = float(2*pi * Uint32ToFloat(x))",
        values: fill(new Float32Array(size(450_000)), () =>
          Math.fround(6.283185307179586 * tensorflowUniform(word())),
        ),
      },
      {
        name: 'float32 in [-120, 120] and beyond (reduction ranges)',
        values: fill(new Float32Array(size(50_000)), () =>
          Math.fround((pythonRandom(word) - 0.5) * 400),
        ),
      },
    );
  }
  return sets;
}

/** All sets' values in one array, in order. */
export function concatenate<T extends Float64Array | Float32Array>(
  sets: InputSet[],
  make: (length: number) => T,
): T {
  const total = sets.reduce((sum, set) => sum + set.values.length, 0);
  const all = make(total);
  let offset = 0;
  for (const set of sets) {
    all.set(set.values, offset);
    offset += set.values.length;
  }
  return all;
}
