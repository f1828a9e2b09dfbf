/**
 * The strict safetensors header parser on a 100,000-tensor header (13 MB of JSON, the
 * layout the reference writer uses) against `JSON.parse` of the same text, in one process.
 * Rounds alternate baseline and candidates with a full GC before each timed call; the median
 * and best of each are printed with the ratio to `JSON.parse` (lower is faster), in wall time
 * and in CPU time of the process (`process.cpuUsage`, GC threads included), which moves less
 * than wall time when other work shares the machine.
 *
 * - baseline: `JSON.parse(text)` on the already decoded text (no UTF-8 decoding, no checks).
 * - `decode + JSON.parse`: what any reader of the bytes does at least.
 * - candidate: `parseSafetensorsHeader(bytes)`: strict UTF-8, duplicate names and keys,
 *   exact integers, every entry and the data layout checked. Target: at most 2x the baseline.
 * - before: the syntax-tree parser every header went through before the fast scan (kept as
 *   the test oracle), for reference.
 */
import {
  makeSafetensorsHeaderText,
  safetensorsHeaderBytes,
} from '../src/checkpoint/huge-json-fixtures.test-helper.js';
import { parseSafetensorsHeaderOracle } from '../src/checkpoint/safetensors-header-oracle.test-helper.js';
import { parseSafetensorsHeader } from '../src/index.js';

const tensors = 100_000;
const rounds = 11;
const warmup = 2;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const { text, dataLength } = makeSafetensorsHeaderText(tensors);
const bytes = safetensorsHeaderBytes(text);
const fileSize = bytes.length + dataLength;
const decoder = new TextDecoder('utf-8', { fatal: true });

const cases: Array<[string, () => unknown]> = [
  ['JSON.parse(text) (baseline)', () => JSON.parse(text)],
  ['decode + JSON.parse', () => JSON.parse(decoder.decode(bytes.subarray(8)))],
  ['parseSafetensorsHeader(bytes)', () => parseSafetensorsHeader(bytes, { fileSize })],
  ['before: syntax-tree parser', () => parseSafetensorsHeaderOracle(bytes, { fileSize })],
];

// The candidate must agree with the old parser before it is timed.
const fast = parseSafetensorsHeader(bytes, { fileSize });
const old = parseSafetensorsHeaderOracle(bytes, { fileSize });
if (
  fast.tensors.size !== tensors ||
  JSON.stringify([...fast.tensors]) !== JSON.stringify([...old.tensors])
) {
  throw new Error('the fast and the old parser disagree');
}

const cpuMilliseconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const times = cases.map(() => [] as number[]);
const cpuTimes = cases.map(() => [] as number[]);
for (let round = 0; round < warmup + rounds; round++) {
  cases.forEach(([, run], index) => {
    gc();
    const cpuStart = cpuMilliseconds();
    const start = performance.now();
    run();
    const elapsed = performance.now() - start;
    const cpu = cpuMilliseconds() - cpuStart;
    if (round >= warmup) {
      times[index]!.push(elapsed);
      cpuTimes[index]!.push(cpu);
    }
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const baseline = {
  median: median(times[0]!),
  best: Math.min(...times[0]!),
  cpu: median(cpuTimes[0]!),
};
console.log(
  `header of ${tensors.toLocaleString('en')} tensors, ${(bytes.length / 1e6).toFixed(1)} MB of JSON; median and best of ${rounds} rounds, GC before each call`,
);
cases.forEach(([label], index) => {
  const runs = times[index]!;
  const stats = { median: median(runs), best: Math.min(...runs) };
  const ratio = stats.median / baseline.median;
  const bestRatio = stats.best / baseline.best;
  const cpu = median(cpuTimes[index]!);
  const target = label.startsWith('parseSafetensorsHeader')
    ? `  (target <= 2x: ${ratio <= 2 ? 'met' : 'MISSED'} on median)`
    : '';
  console.log(
    `  ${label.padEnd(32)} median ${stats.median.toFixed(1).padStart(7)} ms  best ${stats.best.toFixed(1).padStart(7)} ms  ratio to JSON.parse: median ${ratio.toFixed(2)}x, best ${bestRatio.toFixed(2)}x; CPU median ${cpu.toFixed(1).padStart(7)} ms = ${(cpu / baseline.cpu).toFixed(2)}x${target}`,
  );
});
