/**
 * `parseShardedIndex` on the index of a large mixture-of-experts model (500,000 entries,
 * names like `model.layers.123.mlp.experts.45.down_proj.weight`, 163 shards
 * `model-00042-of-00163.safetensors`, written as `transformers` writes it) against
 * `JSON.parse` of the same text.
 *
 * - time, in one process: rounds alternate `JSON.parse(text)` (the text already decoded)
 *   with the streaming parser fed the bytes in 64 KiB chunks (as from a fetch body or a file
 *   stream), and with the whole bytes and the whole text; GC before each call; median and
 *   best with the ratio to `JSON.parse` (lower is faster), in wall time and in CPU time of the
 *   process (`process.cpuUsage`, GC threads included), which moves less than wall time when
 *   other work shares the machine. Target: streaming at most 2x.
 * - memory, one fresh process per run: reading the index file and parsing it, as a Node user
 *   would: `JSON.parse(await readFile(path, 'utf8'))` against
 *   `parseShardedIndex(createReadStream(path))`. Peak RSS (`process.resourceUsage().maxRSS`),
 *   RSS before the read, and the heap the result keeps after a full GC.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeShardedIndexText } from '../src/checkpoint/huge-json-fixtures.test-helper.js';
import { parseShardedIndex } from '../src/index.js';

const entries = 500_000;
const rounds = 9;
const warmup = 2;
const memoryRuns = 3;
const chunkBytes = 64 * 1024;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

type MemoryMode = 'json-parse' | 'streaming';
interface MemoryResult {
  milliseconds: number;
  maxRssBytes: number;
  rssBeforeBytes: number;
  retainedHeapBytes: number;
}

async function memoryChild(mode: MemoryMode, path: string): Promise<MemoryResult> {
  gc();
  const before = process.memoryUsage();
  const start = performance.now();
  const result =
    mode === 'json-parse'
      ? JSON.parse(await readFile(path, 'utf8'))
      : await parseShardedIndex(createReadStream(path, { highWaterMark: chunkBytes }), {
          file: path,
        });
  const milliseconds = performance.now() - start;
  gc();
  const retainedHeapBytes = process.memoryUsage().heapUsed - before.heapUsed;
  if (result === undefined) throw new Error('no result');
  return {
    milliseconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes: before.rss,
    retainedHeapBytes,
  };
}

function runMemoryChild(mode: MemoryMode, path: string): MemoryResult {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ['--conditions=@reprokit/source', '--expose-gc', '--import', 'tsx', script, mode, path],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`${mode} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '') as MemoryResult;
}

async function main(): Promise<void> {
  const text = makeShardedIndexText({ entries, shards: 163 });
  const bytes = new TextEncoder().encode(text);
  const path = join(tmpdir(), `reprokit-bench-index-${process.pid}.json`);
  writeFileSync(path, bytes);
  try {
    const chunks = async function* () {
      for (let start = 0; start < bytes.length; start += chunkBytes) {
        yield bytes.subarray(start, start + chunkBytes);
      }
    };
    const checked = await parseShardedIndex(chunks(), { file: path });
    const json = JSON.parse(text) as { weight_map: Record<string, string> };
    if (
      checked.weightMap.size !== entries ||
      checked.shards.length !== 163 ||
      Object.keys(json.weight_map).some(
        (name) => checked.weightMap.get(name) !== json.weight_map[name],
      )
    ) {
      throw new Error('parseShardedIndex and JSON.parse disagree');
    }

    const cases: Array<[string, () => unknown]> = [
      ['JSON.parse(text) (baseline)', () => JSON.parse(text)],
      ['parseShardedIndex(64 KiB chunks)', () => parseShardedIndex(chunks(), { file: path })],
      ['parseShardedIndex(bytes)', () => parseShardedIndex(bytes, { file: path })],
      ['parseShardedIndex(text)', () => parseShardedIndex(text, { file: path })],
    ];
    const cpuMilliseconds = () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    };
    const times = cases.map(() => [] as number[]);
    const cpuTimes = cases.map(() => [] as number[]);
    for (let round = 0; round < warmup + rounds; round++) {
      for (const [index, [, run]] of cases.entries()) {
        gc();
        const cpuStart = cpuMilliseconds();
        const start = performance.now();
        await run();
        const elapsed = performance.now() - start;
        const cpu = cpuMilliseconds() - cpuStart;
        if (round >= warmup) {
          times[index]!.push(elapsed);
          cpuTimes[index]!.push(cpu);
        }
      }
    }
    console.log(
      `index of ${entries.toLocaleString('en')} entries, ${(bytes.length / 1e6).toFixed(1)} MB; median and best of ${rounds} rounds in one process, GC before each call`,
    );
    const baseline = {
      median: median(times[0]!),
      best: Math.min(...times[0]!),
      cpu: median(cpuTimes[0]!),
    };
    for (const [index, [label]] of cases.entries()) {
      const runs = times[index]!;
      const ratio = median(runs) / baseline.median;
      const bestRatio = Math.min(...runs) / baseline.best;
      const cpu = median(cpuTimes[index]!);
      const target =
        index === 1 ? `  (target <= 2x: ${ratio <= 2 ? 'met' : 'MISSED'} on median)` : '';
      console.log(
        `  ${label.padEnd(34)} median ${median(runs).toFixed(0).padStart(5)} ms  best ${Math.min(
          ...runs,
        )
          .toFixed(0)
          .padStart(
            5,
          )} ms  ratio to JSON.parse: median ${ratio.toFixed(2)}x, best ${bestRatio.toFixed(2)}x; CPU median ${cpu.toFixed(0).padStart(5)} ms = ${(cpu / baseline.cpu).toFixed(2)}x${target}`,
      );
    }

    console.log(
      `memory: read ${path} and parse it, one fresh process per run (${memoryRuns} runs each)`,
    );
    const memory = new Map<MemoryMode, MemoryResult[]>([
      ['json-parse', []],
      ['streaming', []],
    ]);
    for (let run = 0; run < memoryRuns; run++) {
      for (const [mode, results] of memory) results.push(runMemoryChild(mode, path));
    }
    const summary = new Map(
      [...memory].map(([mode, results]) => [
        mode,
        {
          peak: Math.max(...results.map((result) => result.maxRssBytes)),
          before: median(results.map((result) => result.rssBeforeBytes)),
          retained: median(results.map((result) => result.retainedHeapBytes)),
          milliseconds: median(results.map((result) => result.milliseconds)),
        },
      ]),
    );
    const labels: Record<MemoryMode, string> = {
      'json-parse': "JSON.parse(readFile(path, 'utf8'))",
      streaming: 'parseShardedIndex(createReadStream)',
    };
    for (const [mode, stats] of summary) {
      console.log(
        `  ${labels[mode].padEnd(36)} peak RSS ${mb(stats.peak)} (${mb(stats.peak - stats.before)} above the ${mb(stats.before)} before)  result keeps ${mb(stats.retained)} of heap  read + parse ${stats.milliseconds.toFixed(0)} ms`,
      );
    }
    const plain = summary.get('json-parse')!;
    const streaming = summary.get('streaming')!;
    console.log(
      `  streaming / JSON.parse: peak RSS ${(streaming.peak / plain.peak).toFixed(2)}x (${((streaming.peak - streaming.before) / (plain.peak - plain.before)).toFixed(2)}x above the start), result heap ${(streaming.retained / plain.retained).toFixed(2)}x, read + parse time ${(streaming.milliseconds / plain.milliseconds).toFixed(2)}x`,
    );
  } finally {
    rmSync(path, { force: true });
  }
}

const [mode, path] = process.argv.slice(2) as [MemoryMode | undefined, string | undefined];
if (mode !== undefined && path !== undefined) {
  console.log(JSON.stringify(await memoryChild(mode, path)));
} else {
  await main();
}
