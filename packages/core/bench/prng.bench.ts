/**
 * Draws per second of each seedrandom PRNG against native `Math.random`, in one run.
 * The ratio column is candidate / native (higher is faster); reprokit's chosen generator
 * (`createRng`, and `Math.random` once patched by the math-random control) must reach at
 * least 0.5x. The seedrandom rows draw 32-bit floats (`prng()`); reprokit's draws carry
 * 53 bits, like native `Math.random`. Also prints the JSON state size of each candidate, the other
 * half of the choice, and checks that each state round-trips through JSON exactly.
 */
import seedrandom from 'seedrandom';
import { createRng, mathRandomSeedControl, restoreRng } from '../src/seed/index.js';

const drawsPerRound = 2_000_000;
const rounds = 9;

type Draw = () => number;
interface Candidate {
  name: string;
  make: () => Draw;
  stateJson?: () => string;
  roundTrips?: () => boolean;
}

type StatefulFactory = (
  seed: string,
  options: { state: true | object },
) => seedrandom.StatefulPRNG<object>;

function seedrandomCandidate(name: string, factory: StatefulFactory): Candidate {
  return {
    name: `seedrandom ${name}`,
    make: () => factory('42', { state: true }),
    stateJson: () => JSON.stringify(factory('42', { state: true }).state()),
    roundTrips: () => {
      const original = factory('42', { state: true });
      for (let i = 0; i < 1000; i++) original();
      const copy = factory('', { state: JSON.parse(JSON.stringify(original.state())) });
      for (let i = 0; i < 1000; i++) {
        if (!Object.is(original(), copy())) return false;
      }
      return true;
    },
  };
}

const candidates: Candidate[] = [
  { name: 'native Math.random', make: () => Math.random },
  seedrandomCandidate('arc4 (default)', seedrandom as unknown as StatefulFactory),
  seedrandomCandidate('alea', seedrandom.alea as unknown as StatefulFactory),
  seedrandomCandidate('xor128', seedrandom.xor128 as unknown as StatefulFactory),
  seedrandomCandidate('xorwow', seedrandom.xorwow as unknown as StatefulFactory),
  seedrandomCandidate('xorshift7', seedrandom.xorshift7 as unknown as StatefulFactory),
  seedrandomCandidate('xor4096', seedrandom.xor4096 as unknown as StatefulFactory),
  seedrandomCandidate('tychei', seedrandom.tychei as unknown as StatefulFactory),
  {
    // 53 bits from seedrandom's own generator: what createRng would cost without own stepping.
    name: 'seedrandom tychei .double()',
    make: () => seedrandom.tychei('42').double,
  },
  {
    name: 'reprokit createRng().next',
    make: () => createRng(42).next,
    stateJson: () => JSON.stringify(createRng(42).state()),
    roundTrips: () => {
      const original = createRng(42);
      for (let i = 0; i < 1000; i++) original.next();
      const copy = restoreRng(JSON.parse(JSON.stringify(original.state())));
      for (let i = 0; i < 1000; i++) {
        if (!Object.is(original.next(), copy.next())) return false;
      }
      return true;
    },
  },
  {
    name: 'reprokit patched Math.random',
    make: () => {
      const control = mathRandomSeedControl();
      control.seed(42);
      const patched = Math.random;
      control.release?.();
      return patched;
    },
  },
];

// Each candidate gets its own compiled copy of the timing loop, so that the call site of
// `draw()` only ever sees one function: a shared loop would turn megamorphic and slow every
// candidate (native Math.random most, as V8 inlines it) by call overhead rather than by PRNG.
const timingLoopSource = `
  let sum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sum += draw();
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (sum < 0) console.log(sum); // reading sum keeps the loop from being optimised away
  return n / elapsed;
`;
function makeTimer(draw: Draw, index: number): () => number {
  // V8 caches compiled code by source text: without a source of its own, every "copy" would be
  // one shared loop after all. A comment naming the candidate makes each source unique.
  const source = `/* timing loop of candidate ${index} */${timingLoopSource}`;
  const loop = new Function('draw', 'n', 'process', 'console', source) as (
    draw: Draw,
    n: number,
    processObject: typeof process,
    consoleObject: typeof console,
  ) => number;
  return () => loop(draw, drawsPerRound, process, console);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const timers = candidates.map((candidate, index) => makeTimer(candidate.make(), index));
const samples: number[][] = candidates.map(() => []);
// Rounds interleave the candidates so that a slow moment of the machine hits all of them.
for (let round = 0; round < rounds + 1; round++) {
  timers.forEach((timer, index) => {
    const rate = timer();
    if (round > 0) samples[index]?.push(rate); // round 0 warms up the JIT
  });
}

const nativeRate = median(samples[0] ?? []);
console.log(
  `${drawsPerRound.toLocaleString('en')} draws x ${rounds} rounds, median; ratio = candidate / native`,
);
console.log(
  `${'generator'.padEnd(30)} ${'Mdraws/s'.padStart(9)} ${'ratio'.padStart(6)} ${'state JSON'.padStart(11)}  JSON round-trip`,
);
candidates.forEach((candidate, index) => {
  const rate = median(samples[index] ?? []);
  const stateBytes = candidate.stateJson ? `${candidate.stateJson().length} B` : '-';
  const roundTrip = candidate.roundTrips ? (candidate.roundTrips() ? 'exact' : 'DIFFERS') : '-';
  console.log(
    `${candidate.name.padEnd(30)} ${(rate / 1e6).toFixed(1).padStart(9)} ${(rate / nativeRate).toFixed(2).padStart(6)}x ${stateBytes.padStart(10)}  ${roundTrip}`,
  );
});
