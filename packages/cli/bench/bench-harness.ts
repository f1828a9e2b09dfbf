import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, createCheckpoint, fromTypedArray } from '@reprokit/core';

/** Median wall time in milliseconds of `runs` calls of `fn`, after one warm-up call. */
export async function medianMs(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A checkpoint of `tensorCount` F32 tensors totalling about `megabytes` MiB. */
export function syntheticCheckpoint(megabytes: number, tensorCount = 16): Checkpoint {
  const elements = Math.floor((megabytes * 1024 * 1024) / 4 / tensorCount);
  const entries = Array.from({ length: tensorCount }, (_, index) => {
    const values = new Float32Array(elements);
    for (let element = 0; element < elements; element++) values[element] = (element % 997) * 1e-3;
    return [`layer_${index}/kernel`, fromTypedArray('F32', [elements], values)] as const;
  });
  return createCheckpoint(entries);
}

export async function withTemporaryFolder<T>(fn: (folder: string) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(join(tmpdir(), 'reprokit-cli-bench-'));
  try {
    return await fn(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export function printRow(label: string, baselineMs: number, candidateMs: number): void {
  console.log(
    `${label.padEnd(44)} baseline ${baselineMs.toFixed(2).padStart(9)} ms   candidate ${candidateMs
      .toFixed(2)
      .padStart(9)} ms   ratio ${(candidateMs / baselineMs).toFixed(4)}x`,
  );
}
