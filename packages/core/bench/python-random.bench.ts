/**
 * The Python-compatible generators against their baselines, in one run:
 * 1. draws per second of `pythonRandom(42).random()` (and NumPy's `randomSample()`) against
 *    native `Math.random` (target: at least 0.5x);
 * 2. `numpyRandomState(1).permutation(10 ** 6)` against NumPy's own
 *    `RandomState(1).permutation(10**6)`, timed by `/usr/bin/python3` in this same run, the two
 *    alternating (target: at most 3x NumPy's time).
 *
 * Times are CPU time of this process (`process.cpuUsage`, Python's `time.process_time`), not
 * wall time: on a shared machine other jobs stretch wall time of both sides unevenly, while a
 * single-threaded loop's CPU time moves much less. Medians of interleaved rounds.
 */
import { spawnSync } from 'node:child_process';
import { Mt19937, numpyRandomState, pythonRandom } from '../src/python-random/index.js';

const drawsPerRound = 2_000_000;
const rounds = 9;

type Draw = () => number;
// One compiled copy of the loop per candidate, so each call site sees one function (see
// prng.bench.ts: a shared loop would go megamorphic and measure call overhead). The source also
// differs per candidate (a comment), or V8's compilation cache hands every candidate the same
// shared function info, and with it feedback collected from the others.
const timingLoopSource = `
  let sum = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) sum += draw();
  const used = process.cpuUsage(start);
  if (sum < 0) console.log(sum);
  return n / ((used.user + used.system) / 1e6);
`;
function makeTimer(draw: Draw, label: string): () => number {
  const source = `${timingLoopSource}// ${label}`;
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

const py = pythonRandom(42);
const np = numpyRandomState(42);
// The same draw with the JavaScript twist (the fallback where WebAssembly is refused).
const jsTwist = new Mt19937({ wasm: false });
jsTwist.seedGenrand(42);
const candidates: [string, Draw][] = [
  ['native Math.random', Math.random],
  ['pythonRandom(42).random', py.random.bind(py)],
  ['numpyRandomState(42).randomSample', np.randomSample.bind(np) as Draw],
  ['same draw, JavaScript twist (fallback)', jsTwist.nextDouble.bind(jsTwist)],
];
const timers = candidates.map(([name, draw]) => makeTimer(draw, name));
const samples: number[][] = candidates.map(() => []);
for (let round = 0; round < rounds + 1; round++) {
  timers.forEach((timer, index) => {
    const rate = timer();
    if (round > 0) samples[index]?.push(rate); // round 0 warms up the JIT
  });
}
const nativeRate = median(samples[0] ?? []);
console.log(
  `${drawsPerRound.toLocaleString('en')} draws x ${rounds} rounds, CPU time, median; ratio = candidate / native`,
);
console.log(`${'generator'.padEnd(40)} ${'Mdraws/s'.padStart(9)} ${'ratio'.padStart(7)}`);
candidates.forEach(([name], index) => {
  const rate = median(samples[index] ?? []);
  console.log(
    `${name.padEnd(40)} ${(rate / 1e6).toFixed(1).padStart(9)} ${(rate / nativeRate).toFixed(2).padStart(6)}x`,
  );
});
const pythonRatio = median(samples[1] ?? []) / nativeRate;
console.log(
  `target: pythonRandom().random() >= 0.5x native: ${pythonRatio >= 0.5 ? 'met' : 'NOT met'}`,
);

// 2. permutation(10**6) against NumPy.
const size = 1_000_000;
const calls = 7;
const numpyScript = `
import time, json, numpy as np
rs = np.random.RandomState(1)
rs.permutation(${size})
times = []
for _ in range(${calls}):
    t = time.process_time(); rs.permutation(${size}); times.append(time.process_time() - t)
print(json.dumps(sorted(times)[len(times) // 2]))
`;
function numpySeconds(): number | undefined {
  const result = spawnSync('/usr/bin/python3', ['-c', numpyScript], { encoding: 'utf8' });
  return result.status === 0 ? (JSON.parse(result.stdout) as number) : undefined;
}
function oursSeconds(): number {
  const rs = numpyRandomState(1);
  rs.permutation(size);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = process.cpuUsage();
    const permutation = rs.permutation(size);
    const used = process.cpuUsage(start);
    if (permutation.length !== size) throw new Error('wrong length');
    times.push((used.user + used.system) / 1e6);
  }
  return median(times);
}

const numpyTimes: number[] = [];
const ourTimes: number[] = [];
for (let round = 0; round < 3; round++) {
  const numpy = numpySeconds();
  if (numpy === undefined) break;
  numpyTimes.push(numpy);
  ourTimes.push(oursSeconds());
}
console.log('');
if (numpyTimes.length === 0) {
  console.log(
    'permutation(10**6): /usr/bin/python3 with NumPy not found; run scripts/install-system-packages.sh',
  );
} else {
  const numpy = median(numpyTimes);
  const ours = median(ourTimes);
  console.log(
    `permutation(${size.toLocaleString('en')}), CPU time, median of ${calls} calls, median of ${numpyTimes.length} alternations`,
  );
  console.log(
    `${'NumPy 1.x RandomState(1).permutation'.padEnd(40)} ${(numpy * 1000).toFixed(1).padStart(8)} ms`,
  );
  console.log(
    `${'numpyRandomState(1).permutation'.padEnd(40)} ${(ours * 1000).toFixed(1).padStart(8)} ms`,
  );
  console.log(
    `ratio (ours / NumPy) ${(ours / numpy).toFixed(2)}x; target <= 3x: ${ours / numpy <= 3 ? 'met' : 'NOT met'}`,
  );
}
