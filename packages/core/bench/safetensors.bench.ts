/**
 * A 1 GiB F32 safetensors checkpoint, read and written, against plain `fs` on the same bytes.
 * Every measured run is a fresh child process of this file (so peak RSS is that run's alone),
 * baseline and candidate alternate, and the median of each is printed with the ratio.
 *
 * - read: `readSafetensors(path)` and lazy `openSafetensors` + `readTensor` vs
 *   `fs.promises.readFile`. Warm page cache for all. Targets: >= 0.8x throughput, peak RSS
 *   <= 1.25x the file size.
 * - write: `writeSafetensors(checkpoint, path)` (temp file, fsync, rename) vs
 *   `FileHandle.writeFile` + fsync of the encoded bytes: fsync is paid on both sides. The
 *   target file is deleted and `sync` run before each run, untimed, so both write a new file
 *   on a quiet disk. Target: >= 0.8x throughput.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCheckpoint, encodeSafetensors } from '../src/index.js';
import { openSafetensors, readSafetensors, writeSafetensors } from '../src/node/index.js';

type Mode = 'read-baseline' | 'read-candidate' | 'read-lazy' | 'write-baseline' | 'write-candidate';
interface RunResult {
  seconds: number;
  maxRssBytes: number;
}

const script = fileURLToPath(import.meta.url);
const elements = 2 ** 28; // 1 GiB of F32
const rounds = 9;

function makeCheckpoint() {
  const data = new Uint8Array(elements * 4);
  for (let index = 0; index < data.length; index += 4096) data[index] = index & 0xff;
  return createCheckpoint([['weight', { dtype: 'F32', shape: [elements], data }]]);
}

async function child(mode: Mode, path: string): Promise<number> {
  if (mode === 'read-baseline') {
    const start = performance.now();
    await readFile(path);
    return performance.now() - start;
  }
  if (mode === 'read-candidate') {
    const start = performance.now();
    await readSafetensors(path);
    return performance.now() - start;
  }
  if (mode === 'read-lazy') {
    const start = performance.now();
    const file = await openSafetensors(path);
    for (const name of file.names()) await file.readTensor(name);
    await file.close();
    return performance.now() - start;
  }
  const checkpoint = makeCheckpoint();
  if (mode === 'write-baseline') {
    const bytes = encodeSafetensors(checkpoint);
    checkpoint.tensors.clear();
    const start = performance.now();
    const handle = await open(path, 'w');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    return performance.now() - start;
  }
  const start = performance.now();
  await writeSafetensors(checkpoint, path);
  return performance.now() - start;
}

function run(mode: Mode, path: string): RunResult {
  if (mode.startsWith('write')) {
    rmSync(path, { force: true });
    spawnSync('sync');
  }
  const result = spawnSync(
    process.execPath,
    ['--conditions=@reprokit/source', '--import', 'tsx', script, mode, path],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`${mode} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as RunResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function compareModes(title: string, path: string, bytes: number, cases: Array<[Mode, string]>) {
  const results = new Map<Mode, RunResult[]>(cases.map(([mode]) => [mode, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [mode] of cases) results.get(mode)!.push(run(mode, path));
  }
  const gib = bytes / 2 ** 30;
  console.log(`${title}: ${gib.toFixed(2)} GiB F32, median of ${rounds} runs, one process per run`);
  const stats = cases.map(([mode, label]) => {
    const runs = results.get(mode)!;
    const seconds = median(runs.map((r) => r.seconds));
    const best = Math.min(...runs.map((r) => r.seconds));
    const peak = Math.max(...runs.map((r) => r.maxRssBytes));
    console.log(
      `  ${label.padEnd(36)} median ${seconds.toFixed(3)} s (${(gib / seconds).toFixed(2)} GiB/s)  best ${best.toFixed(3)} s (${(gib / best).toFixed(2)} GiB/s)  peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB = ${(peak / bytes).toFixed(2)}x file`,
    );
    return { mode, seconds, best, peak };
  });
  const baseline = stats[0]!;
  for (const candidate of stats.slice(1)) {
    const ratio = baseline.seconds / candidate.seconds;
    const bestRatio = baseline.best / candidate.best;
    console.log(
      `  ${candidate.mode} / ${baseline.mode} throughput: median ${ratio.toFixed(2)}x, best ${bestRatio.toFixed(2)}x (target >= 0.8: ${ratio >= 0.8 ? 'met' : 'MISSED'} on median); peak RSS ${(candidate.peak / bytes).toFixed(2)}x file (target <= 1.25: ${candidate.peak / bytes <= 1.25 ? 'met' : 'MISSED'})`,
    );
  }
}

const [mode, path] = process.argv.slice(2) as [Mode | undefined, string | undefined];
if (mode !== undefined && path !== undefined) {
  const milliseconds = await child(mode, path);
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ seconds: milliseconds / 1000, maxRssBytes } satisfies RunResult));
} else {
  const readPath = join(tmpdir(), `reprokit-bench-read-${process.pid}.safetensors`);
  const writePath = join(tmpdir(), `reprokit-bench-write-${process.pid}.safetensors`);
  try {
    await writeSafetensors(makeCheckpoint(), readPath);
    const size = statSync(readPath).size;
    compareModes('read', readPath, size, [
      ['read-baseline', 'fs.promises.readFile'],
      ['read-candidate', 'readSafetensors(path)'],
      ['read-lazy', 'openSafetensors + readTensor'],
    ]);
    compareModes('write', writePath, size, [
      ['write-baseline', 'FileHandle.writeFile + fsync'],
      ['write-candidate', 'writeSafetensors(checkpoint, path)'],
    ]);
  } finally {
    rmSync(readPath, { force: true });
    rmSync(writePath, { force: true });
  }
}
