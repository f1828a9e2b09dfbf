/**
 * Reading a 256 MiB Keras `save_weights` .h5 (16 Dense layers, float32, written by h5py) into a
 * Checkpoint, against h5py reading the same datasets into NumPy (Debian's /usr/bin/python3), in
 * the same run. Every measured run is a fresh child process (so peak RSS is that run's alone);
 * baseline and candidate alternate; medians and the ratio are printed.
 *
 * - candidate: `readKerasWeightsFile(path)`: the file is read into memory once, HDF5 (h5wasm)
 *   parses its metadata, and each weight stored contiguously (h5py's layout) becomes a view of
 *   the file's bytes. Target: at most 2x h5py's time.
 * - candidate with `{ copy: true }`: every tensor copied into its own buffer (no target; shows
 *   what owning the memory costs).
 * - memory: peak RSS of each process, as a multiple of the file size. Target for the candidate:
 *   at most 2.5x the file. The wasm heap size after the read is printed too: HDF5 only reads
 *   metadata and a few probe elements through it; data that needs conversion goes through it
 *   in 8 MiB blocks.
 *
 * Warm page cache for both. Numbers depend on the machine and its load: the runs in the report
 * were taken on a shared 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(import.meta.url);
const here = dirname(script);
const PYTHON = '/usr/bin/python3';
const MIB = Number(process.env.REPROKIT_BENCH_MIB ?? 256);
const ROUNDS = Number(process.env.REPROKIT_BENCH_ROUNDS ?? 5);

interface RunResult {
  seconds: number;
  maxRssBytes: number;
  heapBytes?: number;
  tensors?: number;
}

async function child(path: string, copy: boolean): Promise<void> {
  const { readKerasWeightsFile } = await import('../src/node/index.js');
  const h5wasm = (await import('h5wasm')).default;
  const module = await h5wasm.ready;
  const start = performance.now();
  const checkpoint = await readKerasWeightsFile(path, { copy });
  const seconds = (performance.now() - start) / 1000;
  const result: RunResult = {
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapBytes: module.HEAPU8.length,
    tensors: checkpoint.tensors.size,
  };
  console.log(JSON.stringify(result));
}

function run(command: string, args: string[]): RunResult {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RunResult;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3]!, process.argv[4] === 'copy');
    return;
  }
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import h5py']).status !== 0) {
    console.log(
      'skipped: /usr/bin/python3 with h5py is missing (run scripts/install-system-packages.sh)',
    );
    return;
  }
  const folder = join(tmpdir(), 'reprokit-keras-bench');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `weights-${MIB}mib.h5`);
  if (!existsSync(path)) {
    const made = spawnSync(PYTHON, [join(here, 'make_bench_file.py'), path, String(MIB), '16'], {
      stdio: 'inherit',
    });
    if (made.status !== 0) throw new Error('make_bench_file.py failed');
  }
  const bytes = statSync(path).size;
  // Warm the page cache.
  run(PYTHON, [join(here, 'h5py_read.py'), path]);
  const baseline: RunResult[] = [];
  const candidate: RunResult[] = [];
  const copying: RunResult[] = [];
  const node = (mode: string) =>
    run(process.execPath, [
      '--conditions=@reprokit/source',
      '--import',
      'tsx',
      script,
      '--child',
      path,
      mode,
    ]);
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(run(PYTHON, [join(here, 'h5py_read.py'), path]));
    candidate.push(node('view'));
    copying.push(node('copy'));
  }
  const mib = bytes / 2 ** 20;
  const report = (label: string, runs: RunResult[]) => {
    const seconds = median(runs.map((r) => r.seconds));
    const peak = Math.max(...runs.map((r) => r.maxRssBytes));
    console.log(
      `  ${label.padEnd(34)} median ${seconds.toFixed(3)} s (${(mib / seconds).toFixed(0)} MiB/s)  best ${Math.min(...runs.map((r) => r.seconds)).toFixed(3)} s  peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB = ${(peak / bytes).toFixed(2)}x file`,
    );
    return { seconds, peak };
  };
  console.log(
    `Keras .h5 of ${mib.toFixed(0)} MiB, ${ROUNDS} runs each (fresh processes, alternating)`,
  );
  const base = report('h5py -> NumPy (baseline)', baseline);
  const cand = report('readKerasWeightsFile -> Checkpoint', candidate);
  const copied = report('  the same with { copy: true }', copying);
  const ratio = cand.seconds / base.seconds;
  console.log(
    `  time ratio candidate / h5py: ${ratio.toFixed(2)}x (target <= 2: ${ratio <= 2 ? 'met' : 'MISSED'}); candidate peak RSS ${(cand.peak / bytes).toFixed(2)}x file (target <= 2.5: ${cand.peak / bytes <= 2.5 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `  { copy: true } / h5py: ${(copied.seconds / base.seconds).toFixed(2)}x, peak RSS ${(copied.peak / bytes).toFixed(2)}x file`,
  );
  console.log(
    `  wasm heap after the read: ${(median(candidate.map((r) => r.heapBytes ?? 0)) / 2 ** 20).toFixed(0)} MiB (HDF5 reads metadata through it; the weights are views of the file's bytes); tensors read: ${candidate[0]!.tensors}`,
  );
}

await main();
