/**
 * Calls per second of the exact math functions against V8's Math.log / Math.sin / Math.cos, in one
 * run (ratio = candidate / baseline, higher is faster). Inputs are what the normal-draw callers
 * pass: doubles k*2^-53 in (0, 1) for log, 2*pi*u for sin and cos, TensorFlow's u1 and v1 floats
 * for logf and sincosf. These functions only serve normal draws, never the uniform hot path.
 */
import {
  correctlyRoundedCos,
  correctlyRoundedLog,
  correctlyRoundedSin,
  glibcCos,
  glibcLog,
  glibcLogf,
  glibcSin,
  glibcSincosf,
} from '../src/math/index.js';

const callsPerRound = 200_000;
const rounds = 7;

type Unary = (x: number) => number;
interface Candidate {
  name: string;
  baseline: string;
  inputs: Float64Array;
  call: Unary;
}

function seededUnit(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992 || 0.5;
  }
  return values;
}

const unit = seededUnit(callsPerRound, 7);
const angles = unit.map((u) => 6.283185307179586 * u);
const floatUnit = seededUnit(callsPerRound, 8).map((u) =>
  Math.max(Math.fround(u), Math.fround(1e-7)),
);
const floatAngles = seededUnit(callsPerRound, 9).map((u) =>
  Math.fround(6.283185307179586 * Math.fround(u)),
);

const candidates: Candidate[] = [
  { name: 'Math.log', baseline: 'Math.log', inputs: unit, call: Math.log },
  { name: 'glibcLog', baseline: 'Math.log', inputs: unit, call: glibcLog },
  { name: 'correctlyRoundedLog', baseline: 'Math.log', inputs: unit, call: correctlyRoundedLog },
  {
    name: 'Math.log (float32 input)',
    baseline: 'Math.log (float32 input)',
    inputs: floatUnit,
    call: Math.log,
  },
  { name: 'glibcLogf', baseline: 'Math.log (float32 input)', inputs: floatUnit, call: glibcLogf },
  { name: 'Math.sin', baseline: 'Math.sin', inputs: angles, call: Math.sin },
  { name: 'glibcSin', baseline: 'Math.sin', inputs: angles, call: glibcSin },
  { name: 'correctlyRoundedSin', baseline: 'Math.sin', inputs: angles, call: correctlyRoundedSin },
  { name: 'Math.cos', baseline: 'Math.cos', inputs: angles, call: Math.cos },
  { name: 'glibcCos', baseline: 'Math.cos', inputs: angles, call: glibcCos },
  { name: 'correctlyRoundedCos', baseline: 'Math.cos', inputs: angles, call: correctlyRoundedCos },
  {
    name: 'Math.sin + Math.cos (float32)',
    baseline: 'Math.sin + Math.cos (float32)',
    inputs: floatAngles,
    call: (x) => Math.fround(Math.sin(x)) + Math.fround(Math.cos(x)),
  },
  {
    name: 'glibcSincosf',
    baseline: 'Math.sin + Math.cos (float32)',
    inputs: floatAngles,
    call: (x) => {
      const [sine, cosine] = glibcSincosf(x);
      return sine + cosine;
    },
  },
];

// One compiled timing loop per candidate, so each call site sees one function (a shared loop
// would turn megamorphic and measure call overhead instead of the functions).
const timingLoopSource = `
  let sum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) sum += call(inputs[i]);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (sum !== sum && inputs.length < 0) console.log(sum);
  return inputs.length / elapsed;
`;
function makeTimer(candidate: Candidate): () => number {
  const loop = new Function('call', 'inputs', 'process', 'console', timingLoopSource) as (
    call: Unary,
    inputs: Float64Array,
    processObject: typeof process,
    consoleObject: typeof console,
  ) => number;
  return () => loop(candidate.call, candidate.inputs, process, console);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const timers = candidates.map(makeTimer);
const samples: number[][] = candidates.map(() => []);
for (let round = 0; round < rounds + 1; round++) {
  timers.forEach((timer, index) => {
    const rate = timer();
    if (round > 0) samples[index]?.push(rate); // round 0 warms up the JIT and builds the tables
  });
}

const rates = new Map(
  candidates.map((candidate, index) => [candidate.name, median(samples[index] ?? [])]),
);
console.log(
  `${callsPerRound.toLocaleString('en')} calls x ${rounds} rounds, median; ratio = candidate / baseline (same run)`,
);
console.log(
  `${'function'.padEnd(30)} ${'Mcalls/s'.padStart(9)} ${'ns/call'.padStart(8)} ${'ratio'.padStart(7)}  baseline`,
);
for (const candidate of candidates) {
  const rate = rates.get(candidate.name) ?? Number.NaN;
  const baseline = rates.get(candidate.baseline) ?? Number.NaN;
  console.log(
    `${candidate.name.padEnd(30)} ${(rate / 1e6).toFixed(2).padStart(9)} ${(1e9 / rate).toFixed(0).padStart(8)} ${(rate / baseline).toFixed(2).padStart(6)}x  ${candidate.baseline}`,
  );
}
