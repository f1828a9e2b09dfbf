import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bytesFiles,
  type Checkpoint,
  type CheckpointStore,
  probeOf,
  ReprokitError,
  readCheckpoint as readCheckpointInput,
} from '@reprokit/core';
import {
  fileSource,
  folderFiles,
  LOCK_FILE_NAME,
  readCheckpoint,
  type SaveStage,
  STAGED_SUFFIX,
  writeCheckpoint,
} from '@reprokit/core/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFileSetMutations, fileSetMutations } from '../mutation/file-set-mutation.js';
import { classifyCheckpoint } from './checkpoint-state.js';
import type {
  CheckpointStoreCapabilities,
  CheckpointStoreCheck,
  CheckpointStoreFixture,
} from './checkpoint-store-fixture.js';
import { countingFiles } from './counting-files.js';
import { encodeInMemory } from './encode-in-memory.js';
import { startStoreSaveWorker } from './start-store-save-worker.js';

/** The first stage after which a save's new checkpoint is what readers see. */
const COMMIT_STAGES: readonly SaveStage[] = ['committed-staged', 'committed'];

/**
 * Registers the `CheckpointStore` contract tests for one store, in Node. The fixture is the
 * export `exportName` of `fixtureModule` (a function returning a `CheckpointStoreFixture`):
 * the kill and race checks rebuild it in child processes.
 *
 * - `detect`: the store recognises the entry it wrote, and not an empty file, random bytes or `{}`.
 * - `round-trip-files`: `writeCheckpoint` then core/node's `readCheckpoint` gives the same tensors
 *   (bitwise) and the metadata the store keeps, and leaves no temporary file, staged file or lock.
 * - `round-trip-memory`: the same through `encode` and `bytesFiles`, as in a browser.
 * - `inspect-matches-read`: `inspect` lists what `read` returns: names in order, dtypes, shapes,
 *   byte lengths, metadata.
 * - `inspect-reads-headers-only`: `inspect` reads no more bytes than the files hold beside the
 *   tensor data (plus 4 KiB).
 * - `refuses-bad-checkpoint`: a save of a tensor whose data is one byte short fails with a
 *   `ReprokitError` and leaves the previous save exactly as it was.
 * - `stop-at-every-stage`: a save that throws at each stage it passes leaves the old checkpoint
 *   (before its commit) or the new one (after), never a mix; the next save then leaves exactly
 *   the files a save into an empty folder leaves.
 * - `kill-at-every-stage`: the same with a child process killed by SIGKILL at each stage; the
 *   child says which stage it reached, so no kill depends on timing.
 * - `race`: two processes save different checkpoints to the same path at once; both succeed
 *   and the result is one of the two, whole, with no leftovers.
 * - `fuzz`: seeded mutations of a save's files (bytes, JSON tokens, safetensors headers, removed
 *   files) are read; every read returns or throws a `ReprokitError`, nothing else.
 *
 * @example
 * describeCheckpointStore('safetensors', new URL('./fixtures.ts', import.meta.url), 'safetensorsFixture');
 */
export function describeCheckpointStore(
  name: string,
  fixtureModule: URL,
  exportName: string,
  capabilities: CheckpointStoreCapabilities = {},
): void {
  const check = (
    id: CheckpointStoreCheck,
    title: string,
    body: () => Promise<void>,
    timeout = 120_000,
  ) => {
    const reason = capabilities.skip?.[id];
    if (reason !== undefined) it.skip(`${id}: ${title} (skipped: ${reason})`, body);
    else it(`${id}: ${title}`, body, timeout);
  };

  let fixture: CheckpointStoreFixture;
  let folder: string;
  let count = 0;
  // biome-ignore lint/suspicious/noExplicitAny: the suite works with any store's write options.
  const store = (): CheckpointStore<any> => fixture.store;
  const newFolder = async () => {
    const path = join(folder, String(count++));
    return path;
  };
  const entryIn = (dir: string) => join(dir, fixture.entryName);
  const save = (
    version: number,
    dir: string,
    onStage?: (stage: SaveStage) => void,
    alternate = false,
  ) => {
    const checkpoint = fixture.checkpoint(version);
    const options =
      alternate && fixture.alternateWriteOptions !== undefined
        ? fixture.alternateWriteOptions(checkpoint)
        : fixture.writeOptions(checkpoint);
    return writeCheckpoint(store(), checkpoint, entryIn(dir), {
      ...options,
      ...(onStage === undefined ? {} : { onStage }),
    });
  };
  const read = (dir: string) => readCheckpoint(entryIn(dir), { stores: [store()] });
  const expectVersion = (actual: Checkpoint, version: number) =>
    expectSameCheckpoint(actual, fixture.checkpoint(version), fixture);
  const stageList = async (): Promise<SaveStage[]> => {
    const dir = await newFolder();
    await save(1, dir);
    const stages: SaveStage[] = [];
    await save(2, dir, (stage) => {
      stages.push(stage);
    });
    return stages;
  };
  /** What a save of `version` into an empty folder leaves there. */
  const cleanListing = async (version: number) => {
    const dir = await newFolder();
    await save(version, dir);
    return (await readdir(dir)).sort();
  };

  describe(`CheckpointStore contract: ${name}`, () => {
    beforeAll(async () => {
      const module = (await import(fixtureModule.href)) as Record<
        string,
        () => CheckpointStoreFixture
      >;
      const make = module[exportName];
      if (typeof make !== 'function')
        throw new Error(`${fixtureModule.href} has no export ${exportName}`);
      fixture = make();
      folder = await mkdtemp(join(tmpdir(), `reprokit-store-${name.replace(/\W+/g, '-')}-`));
    });
    afterAll(async () => {
      if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    });

    check(
      'detect',
      'recognises its own entry and not an empty file, random bytes or {}',
      async () => {
        const dir = await newFolder();
        await save(1, dir);
        const entry = await fileSource(entryIn(dir));
        try {
          expect(store().detect(await probeOf(entry))).toBe(true);
        } finally {
          await entry.close();
        }
        const random = Uint8Array.from({ length: 64 }, (_, index) => (index * 151 + 7) & 0xff);
        for (const [label, bytes] of [
          ['an empty file', new Uint8Array(0)],
          ['64 random bytes', random],
          ['{}', new TextEncoder().encode('{}')],
        ] as const) {
          const path = join(dir, 'data.bin');
          await writeFile(path, bytes);
          const source = await fileSource(path);
          try {
            expect(store().detect(await probeOf(source)), label).toBe(false);
          } finally {
            await source.close();
          }
        }
      },
    );

    check(
      'round-trip-files',
      'reads back what writeCheckpoint saved, leaving no leftovers',
      async () => {
        const dir = await newFolder();
        await save(1, dir);
        expectVersion(await read(dir), 1);
        await save(2, dir);
        expectVersion(await read(dir), 2);
        expect(leftovers(await readdir(dir))).toEqual([]);
      },
    );

    check(
      'round-trip-memory',
      'reads back what encode produced, from bytes in memory',
      async () => {
        const checkpoint = fixture.checkpoint(1);
        const files = await encodeInMemory(
          store(),
          checkpoint,
          fixture.entryName,
          fixture.writeOptions(checkpoint),
        );
        expectVersion(await store().read(bytesFiles(files, fixture.entryName)), 1);
        // And through detection, as readCheckpoint picks stores.
        expectVersion(
          await readCheckpointInput(bytesFiles(files, fixture.entryName), { stores: [store()] }),
          1,
        );
      },
    );

    check('inspect-matches-read', 'lists exactly what read returns', async () => {
      const dir = await newFolder();
      await save(1, dir);
      const files = await folderFiles(entryIn(dir));
      let summary: Awaited<ReturnType<CheckpointStore['inspect']>>;
      try {
        summary = await store().inspect(files);
      } finally {
        await files.close();
      }
      const checkpoint = await read(dir);
      expect(summary.format).toBe(store().format);
      expect(summary.tensors.map((tensor) => tensor.name)).toEqual([...checkpoint.tensors.keys()]);
      for (const tensor of summary.tensors) {
        const actual = checkpoint.tensors.get(tensor.name)!;
        expect([tensor.dtype, [...tensor.shape], tensor.byteLength], tensor.name).toEqual([
          actual.dtype,
          [...actual.shape],
          actual.data.byteLength,
        ]);
      }
      expect(new Map(summary.metadata)).toEqual(new Map(checkpoint.metadata));
      expect(summary.files[0]).toBe(entryIn(dir));
    });

    check('inspect-reads-headers-only', 'reads no tensor data', async () => {
      const checkpoint = fixture.checkpoint(1);
      const files = await encodeInMemory(
        store(),
        checkpoint,
        fixture.entryName,
        fixture.writeOptions(checkpoint),
      );
      let fileBytes = 0;
      for (const bytes of files.values()) fileBytes += bytes.length;
      let tensorBytes = 0;
      for (const tensor of checkpoint.tensors.values()) tensorBytes += tensor.data.byteLength;
      expect(
        tensorBytes,
        'the fixture needs at least 256 KiB of tensor data',
      ).toBeGreaterThanOrEqual(256 * 1024);
      const counted = countingFiles(bytesFiles(files, fixture.entryName));
      await store().inspect(counted);
      expect(counted.bytesRead()).toBeLessThanOrEqual(fileBytes - tensorBytes + 4096);
    });

    check(
      'refuses-bad-checkpoint',
      'refuses a malformed checkpoint and leaves the old save as it was',
      async () => {
        const dir = await newFolder();
        await save(1, dir);
        const before = (await readdir(dir)).sort();
        const good = fixture.checkpoint(2);
        const [first, tensor] = [...good.tensors][0]!;
        const bad: Checkpoint = {
          tensors: new Map(good.tensors).set(first, {
            ...tensor,
            data: tensor.data.subarray(0, tensor.data.length - 1),
          }),
          metadata: good.metadata,
        };
        const error = await writeCheckpoint(
          store(),
          bad,
          entryIn(dir),
          fixture.writeOptions(good),
        ).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(ReprokitError.isInstance(error), String(error)).toBe(true);
        expect((await readdir(dir)).sort()).toEqual(before);
        expectVersion(await read(dir), 1);
      },
    );

    check(
      'stop-at-every-stage',
      'a save that fails at any stage leaves the old or the new checkpoint',
      async () => {
        const stages = await stageList();
        expect(stages[0]).toBe('encoded');
        const clean = await cleanListing(3);
        const commitAt = stages.findIndex((stage) => COMMIT_STAGES.includes(stage));
        for (const [index, stage] of stages.entries()) {
          const dir = await newFolder();
          await save(1, dir);
          const stop = new Error(`stopped at ${stage}`);
          const outcome = await save(2, dir, (reached) => {
            if (reached === stage) throw stop;
          }).then(
            () => undefined,
            (caught: unknown) => caught,
          );
          expect(outcome, stage).toBe(stop);
          const state = classifyCheckpoint(
            await read(dir),
            fixture.checkpoint(1),
            fixture.checkpoint(2),
          );
          expect(state.kind, `stopped at ${stage}`).toBe(index < commitAt ? 'old' : 'new');
          await save(3, dir);
          expectVersion(await read(dir), 3);
          expect(
            (await readdir(dir)).sort(),
            `files after stopping at ${stage} and saving again`,
          ).toEqual(clean);
        }
      },
    );

    check(
      'kill-at-every-stage',
      'a save killed (SIGKILL) at any stage leaves the old or the new checkpoint',
      async () => {
        const stages = await stageList();
        const clean = await cleanListing(3);
        const commitAt = stages.findIndex((stage) => COMMIT_STAGES.includes(stage));
        const runs = await Promise.all(
          stages.map(async (stage) => {
            const dir = await newFolder();
            await save(1, dir, undefined, true);
            const worker = await startStoreSaveWorker(
              fixtureModule,
              exportName,
              entryIn(dir),
              2,
              stage,
            );
            return { stage, dir, worker };
          }),
        );
        for (const [index, { stage, dir, worker }] of runs.entries()) {
          worker.go();
          await worker.paused();
          const exit = await worker.kill();
          expect(exit.signal, stage).toBe('SIGKILL');
          const state = classifyCheckpoint(
            await read(dir),
            fixture.checkpoint(1),
            fixture.checkpoint(2),
          );
          expect(state.kind, `killed at ${stage}`).toBe(index < commitAt ? 'old' : 'new');
          await save(3, dir);
          expectVersion(await read(dir), 3);
          expect(
            (await readdir(dir)).sort(),
            `files after a kill at ${stage} and a new save`,
          ).toEqual(clean);
        }
      },
      600_000,
    );

    check(
      'race',
      'two processes saving at once both succeed, and one of them wins whole',
      async () => {
        const dir = await newFolder();
        await save(1, dir);
        const workers = await Promise.all(
          [2, 3].map((version) =>
            startStoreSaveWorker(fixtureModule, exportName, entryIn(dir), version, undefined),
          ),
        );
        for (const worker of workers) worker.go();
        const exits = await Promise.all(workers.map((worker) => worker.exited));
        for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
        const state = classifyCheckpoint(
          await read(dir),
          fixture.checkpoint(2),
          fixture.checkpoint(3),
        );
        expect(['old', 'new']).toContain(state.kind);
        expect(leftovers(await readdir(dir))).toEqual([]);
      },
      300_000,
    );

    const corpus = capabilities.corpus;
    if (corpus === undefined) {
      it.skip('malformed-corpus: committed malformed inputs (skipped: no corpus given for this store)', () => {});
    } else
      check(
        'malformed-corpus',
        `every committed malformed input in ${corpus.folder} is refused with its code`,
        async () => {
          const expected = JSON.parse(
            await readFile(join(corpus.folder, 'expected.json'), 'utf8'),
          ) as Record<string, { code: string }>;
          const names = Object.keys(expected);
          expect(names.length).toBeGreaterThan(0);
          const actual: Record<string, string> = {};
          for (const name of names) {
            actual[name] = await errorCode(async () => {
              const files = await folderFiles(join(corpus.folder, `${name}${corpus.extension}`));
              try {
                await store().read(files);
              } finally {
                await files.close();
              }
            });
          }
          expect(actual).toEqual(
            Object.fromEntries(names.map((name) => [name, expected[name]!.code])),
          );
        },
      );

    const fuzzSeed = capabilities.fuzzSeed ?? 20261203;
    const fuzzRuns = capabilities.fuzzRuns ?? 300;
    check(
      'fuzz',
      `${fuzzRuns} mutated file sets (seed ${fuzzSeed}) give only typed errors`,
      async () => {
        const checkpoint = fixture.checkpoint(1);
        const files = await encodeInMemory(
          store(),
          checkpoint,
          fixture.entryName,
          fixture.writeOptions(checkpoint),
        );
        await fc.assert(
          fc.asyncProperty(fileSetMutations(), async (mutations) => {
            const mutated = applyFileSetMutations(files, mutations);
            try {
              await store().read(bytesFiles(mutated, fixture.entryName));
            } catch (error) {
              if (!ReprokitError.isInstance(error)) throw error;
            }
          }),
          { seed: fuzzSeed, numRuns: fuzzRuns },
        );
      },
      600_000,
    );
  });
}

/** The code of the `ReprokitError` `run` throws; `no error`, or a description of anything else. */
async function errorCode(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (ReprokitError.isInstance(error)) return error.code;
    return `not a ReprokitError: ${String((error as Error)?.stack ?? error)}`;
  }
  return 'no error';
}

/** Temporary files, staged files and locks: what a finished save must not leave behind. */
export function leftovers(names: readonly string[]): string[] {
  return names.filter(
    (name) =>
      name.endsWith('.reprokit-tmp') || name.endsWith(STAGED_SUFFIX) || name === LOCK_FILE_NAME,
  );
}

/** The same tensors (names, dtypes, shapes, bytes) and the metadata the store keeps. */
export function expectSameCheckpoint(
  actual: Checkpoint,
  expected: Checkpoint,
  fixture: Pick<CheckpointStoreFixture, 'keptMetadata'>,
): void {
  expect([...actual.tensors.keys()].sort()).toEqual([...expected.tensors.keys()].sort());
  for (const [name, tensor] of expected.tensors) {
    const got = actual.tensors.get(name)!;
    expect([got.dtype, [...got.shape]], name).toEqual([tensor.dtype, [...tensor.shape]]);
    expect(Buffer.from(got.data).equals(Buffer.from(tensor.data)), `bytes of ${name}`).toBe(true);
  }
  const kept = fixture.keptMetadata?.(expected) ?? expected.metadata;
  for (const [key, value] of kept) expect(actual.metadata.get(key), `metadata ${key}`).toBe(value);
}
