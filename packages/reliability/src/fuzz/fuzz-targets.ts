import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyFileSetMutations, type FileSet, fileSetMutations } from '@reprokit/conformance';
import {
  type AnyCheckpointStore,
  bytesFiles,
  createCheckpoint,
  decodeSafetensors,
  encodeSafetensors,
} from '@reprokit/core';
import { openSafetensors, readSafetensors, writeShardedSafetensors } from '@reprokit/core/node';
import type fc from 'fast-check';
import { smallCheckpoint, smallSafetensors } from '../fixtures/small-checkpoint.js';
import type { FuzzTarget } from './run-fuzz.js';

const totalSize = (files: FileSet) => [...files.values()].reduce((sum, b) => sum + b.length, 0);

/** Mutated versions of a file set: one to three edits (bytes, JSON tokens, headers, removals). */
function mutatedFileSets(files: FileSet): fc.Arbitrary<Map<string, Uint8Array>> {
  return fileSetMutations().map((mutations) => applyFileSetMutations(files, mutations));
}

// What each fuzz folder holds now, so a case rewrites only the files its mutations changed
// (file-system calls, not the readers, dominate the time of the file-based fuzzers).
const placed = new Map<string, Map<string, Uint8Array>>();

/** Make `dir` hold exactly `files`. */
function placeFiles(dir: string, files: FileSet): void {
  let current = placed.get(dir);
  if (current === undefined) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true });
    current = new Map();
    placed.set(dir, current);
  }
  for (const name of [...current.keys()]) {
    if (!files.has(name)) {
      rmSync(join(dir, name), { force: true });
      current.delete(name);
    }
  }
  for (const [name, bytes] of files) {
    const previous = current.get(name);
    if (previous !== undefined && Buffer.from(previous).equals(bytes)) continue;
    writeFileSync(join(dir, name), bytes);
    current.set(name, bytes);
  }
}

/**
 * `decodeSafetensors` on mutated safetensors bytes (byte edits and header token edits, with or
 * without a fixed length prefix), in memory. The seed input defaults to `smallSafetensors()`.
 *
 * @example
 * await runFuzz(safetensorsDecodeTarget(), { seed: 1, numRuns: 10_000 });
 */
export function safetensorsDecodeTarget(
  input: Uint8Array = smallSafetensors(),
  name = 'safetensors decode',
): FuzzTarget<Uint8Array> {
  const seed: FileSet = new Map([['model.safetensors', input]]);
  return {
    name,
    inputs: mutatedFileSets(seed)
      .filter((files) => files.size === 1)
      .map((files) => files.get('model.safetensors')!),
    size: (bytes) => bytes.length,
    read: async (bytes) => decodeSafetensors(bytes),
  };
}

/**
 * The file readers on mutated safetensors files: `openSafetensors` (lazy; header, then every
 * tensor one by one) and `readSafetensors(path)` (whole file), from a file in `dir`.
 *
 * @example
 * await runFuzz(safetensorsFileTarget(dir), { seed: 1, numRuns: 1_000 });
 */
export function safetensorsFileTarget(dir: string): FuzzTarget<Uint8Array> {
  const seed: FileSet = new Map([['model.safetensors', smallSafetensors()]]);
  const path = join(dir, 'model.safetensors');
  return {
    name: 'safetensors file (lazy and whole)',
    inputs: mutatedFileSets(seed).map(
      (files) => files.get('model.safetensors') ?? new Uint8Array(),
    ),
    size: (bytes) => bytes.length,
    read: async (bytes) => {
      placeFiles(dir, new Map([['model.safetensors', bytes]]));
      const file = await openSafetensors(path);
      try {
        for (const name of file.names()) await file.readTensor(name);
      } finally {
        await file.close();
      }
      return readSafetensors(path);
    },
  };
}

/** The files of `smallCheckpoint()` written as a sharded checkpoint with three shards. */
export async function smallShardedFiles(scratch: string): Promise<Map<string, Uint8Array>> {
  const { readFile } = await import('node:fs/promises');
  rmSync(scratch, { recursive: true, force: true });
  await writeShardedSafetensors(smallCheckpoint(), scratch, { maxShardSize: 40 });
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(scratch).sort()) {
    files.set(name, new Uint8Array(await readFile(join(scratch, name))));
  }
  rmSync(scratch, { recursive: true, force: true });
  return files;
}

/**
 * `readSafetensors(index)` on mutated sharded checkpoints: edits of the index JSON, of a
 * shard's header or bytes, and removed shards.
 *
 * @example
 * await runFuzz(shardedSafetensorsTarget(dir, await smallShardedFiles(scratch)), { seed: 1, numRuns: 2_000 });
 */
export function shardedSafetensorsTarget(
  dir: string,
  files: FileSet,
): FuzzTarget<Map<string, Uint8Array>> {
  return {
    name: 'safetensors sharded index + shards',
    inputs: mutatedFileSets(files),
    size: totalSize,
    read: async (mutated) => {
      placeFiles(dir, mutated);
      return readSafetensors(join(dir, 'model.safetensors.index.json'));
    },
  };
}

/**
 * Any store's `read` on mutated file sets, in memory (`bytesFiles`): token edits of JSON files,
 * header edits of safetensors files, byte edits of every file, removed files. `files` is a valid
 * save (`encodeInMemory`), `entryName` the file the store reads first.
 *
 * @example
 * await runFuzz(storeTarget(tfjsArtifactsStore(), files, 'model.json'), { seed: 1, numRuns: 10_000 });
 */
export function storeTarget(
  store: AnyCheckpointStore,
  files: FileSet,
  entryName: string,
  name = `${store.format} store`,
): FuzzTarget<Map<string, Uint8Array>> {
  return {
    name,
    inputs: mutatedFileSets(files),
    size: totalSize,
    read: async (mutated) => store.read(bytesFiles(mutated, entryName)),
  };
}

/**
 * A valid safetensors file of `count` one-element tensors (about 114 bytes each): a large seed
 * input, to show that no mutation makes a reader slow on a large header.
 *
 * @example
 * safetensorsDecodeTarget(manyTensorsSafetensors(6_000), 'safetensors decode, 6,000 tensors');
 */
export function manyTensorsSafetensors(count: number): Uint8Array {
  return encodeSafetensors(
    createCheckpoint(
      Array.from({ length: count }, (_, index) => [
        `encoder.layers.${index}.attention.output.dense.weight`,
        { dtype: 'F32' as const, shape: [1, 1], data: new Uint8Array(4) },
      ]),
    ),
  );
}
