import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import type { CheckpointStore, EncodedCheckpoint, EncodedFile } from '../store/checkpoint-store.js';
import { CheckpointStoreError } from '../store/checkpoint-store-error.js';
import { folderFiles } from './folder-files.js';
import { lockFolder } from './folder-lock.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * The points a save passes, in order, for progress and for tests that stop a save at an exact
 * point. A single-file save passes `encoded`, `writing` (its first bytes are on disk) and
 * `committed`; a multi-file save all of them.
 */
export type SaveStage =
  | 'encoded'
  | 'writing'
  | 'staged'
  | 'committed-staged'
  | 'settled'
  | 'committed'
  | 'collected';

export interface WriteCheckpointCallbacks {
  /** Called at each stage; a returned promise is awaited before the save goes on. */
  onStage?: (stage: SaveStage) => void | Promise<void>;
}

/**
 * Save a checkpoint in a store's format at `entryPath`, crash-safe: whatever moment the process
 * dies at, the path reads back as the old checkpoint or the new one, never a mix, and a save
 * that fails before its commit leaves the old one as it was.
 *
 * The store's `encode` validates everything first. A single file (safetensors, ONNX with
 * embedded weights) is written atomically (`writeFileAtomic`). Several files (shards, tfjs
 * weight files, ONNX external data) go through one protocol (see docs/decisions/0007):
 *
 * 1. lock the folder (one multi-file save at a time; a dead writer's lock is taken over);
 * 2. write every data file under a staged name, `.<entry>+<file>.<random>.reprokit-staged`;
 * 3. commit: write the entry, naming the staged files (atomic rename; readers now see the new
 *    checkpoint, complete);
 * 4. settle: give each data file its real name (a hard link of the staged file);
 * 5. commit again: the entry with the real names;
 * 6. collect: delete the staged names, staged files of killed saves of this entry, and data
 *    files the replaced entry named that the new one does not (stores with `dataFilesOf`).
 *
 * Readers in this package (`readCheckpoint`) re-check that the entry was not replaced while
 * they read and start over if it was.
 *
 * @example
 * await writeCheckpoint(shardedSafetensorsStore(), checkpoint, 'out/model.safetensors.index.json', {
 *   maxShardSize: 2 ** 30,
 * });
 */
export async function writeCheckpoint<W extends object>(
  store: CheckpointStore<W>,
  checkpoint: Checkpoint,
  entryPath: string,
  ...[options]: Record<never, never> extends W
    ? [options?: W & WriteCheckpointCallbacks]
    : [options: W & WriteCheckpointCallbacks]
): Promise<void> {
  if (store.encode === undefined) {
    throw new CheckpointStoreError({
      code: 'STORE_NOT_WRITABLE',
      message: `the ${store.format} store reads only`,
      file: entryPath,
    });
  }
  const entryName = basename(entryPath);
  const encoded = await store.encode(checkpoint, { ...(options as W), entryName });
  const onStage = options?.onStage ?? (() => undefined);
  await onStage('encoded');
  const folder = dirname(entryPath);
  await mkdir(folder, { recursive: true }).catch((cause: unknown) => {
    throw new CheckpointStoreError({
      code: 'STORE_WRITE_FAILED',
      message: `cannot make the folder: ${(cause as Error).message}`,
      file: folder,
      cause,
    });
  });
  if (encoded.dataFiles.length === 0) {
    const entry = await encoded.entry((name) => name);
    await writeFileAtomic(entryPath, signalFirstChunk(entry.chunks, onStage));
    await onStage('committed');
    return;
  }
  const release = await lockFolder(folder);
  try {
    await commitFileSet(store, encoded, entryPath, onStage);
  } finally {
    await release();
  }
}

async function commitFileSet<W extends object>(
  store: CheckpointStore<W>,
  encoded: EncodedCheckpoint,
  entryPath: string,
  onStage: (stage: SaveStage) => void | Promise<void>,
): Promise<void> {
  const folder = dirname(entryPath);
  const entryName = basename(entryPath);
  // Data files a save may leave without an entry naming them: those of the entry it replaces,
  // those an interrupted earlier save recorded, and its own real names. Recorded before the
  // first commit, so a save killed after it still tells the next one what to collect.
  const journal = join(folder, `.${entryName}${REPLACED_SUFFIX}`);
  const collectable = new Set([
    ...(await dataFilesOfExisting(store, entryPath)),
    ...(await readJournal(journal)),
  ]);
  if (store.dataFilesOf !== undefined) {
    for (const file of encoded.dataFiles) collectable.add(file.name);
    await writeFileAtomic(journal, new TextEncoder().encode(JSON.stringify([...collectable])));
  }

  // 2. Data files under staged names: nothing the current entry names is touched yet.
  const staged = new Map<string, string>();
  let first = true;
  for (const file of encoded.dataFiles) {
    const stagedName = `.${entryName}+${file.name.replaceAll('/', '+')}.${randomBytes(4).toString('hex')}${STAGED_SUFFIX}`;
    const chunks = first ? signalFirstChunk(file.chunks, onStage) : file.chunks;
    first = false;
    await writeFileAtomic(join(folder, stagedName), chunks, { overwrite: false });
    staged.set(file.name, stagedName);
  }
  await onStage('staged');

  // 3. First commit: the new checkpoint, complete, under the staged names.
  await writeEntry(encoded, entryPath, (name) => staged.get(name) ?? name);
  await onStage('committed-staged');

  // 4. Real names. The entry names only staged files now, so replacing these is safe.
  for (const [name, stagedName] of staged) {
    const target = join(folder, name);
    await io(target, async () => {
      // A data file may live in a subfolder of the entry's (`weights/model.safetensors`).
      if (name.includes('/')) await mkdir(dirname(target), { recursive: true });
      await unlink(target).catch(ignoreMissing);
      await link(join(folder, stagedName), target).catch(async (error: NodeJS.ErrnoException) => {
        // No hard links on this file system (some FUSE and SMB mounts): copy instead.
        if (error.code !== 'EPERM' && error.code !== 'ENOTSUP' && error.code !== 'ENOSYS') {
          throw error;
        }
        await copyFile(join(folder, stagedName), target);
      });
    });
  }
  await onStage('settled');

  // 5. Second commit: the same checkpoint under the real names.
  await writeEntry(encoded, entryPath, (name) => name);
  await onStage('committed');

  // 6. Collect what no entry names any more.
  const kept = new Set(encoded.dataFiles.map((file) => file.name));
  kept.add(entryName);
  const prefix = `.${entryName}+`;
  for (const name of await readdir(folder)) {
    if (name.startsWith(prefix) && name.endsWith(STAGED_SUFFIX)) {
      await unlink(join(folder, name)).catch(ignoreMissing);
    }
  }
  for (const name of collectable) {
    if (!kept.has(name) && isCollectableName(name)) {
      await unlink(join(folder, ...name.split('/'))).catch(ignoreMissing);
    }
  }
  await unlink(journal).catch(ignoreMissing);
  await onStage('collected');
}

/** Suffix of data files a multi-file save writes before they get their real names. */
export const STAGED_SUFFIX = '.reprokit-staged';

/**
 * Suffix of the journal `.<entry>.reprokit-replaced`: the data files a save in progress may
 * leave unnamed (JSON array), for stores that collect (`dataFilesOf`).
 */
export const REPLACED_SUFFIX = '.reprokit-replaced';

/** Names a journal may list: relative, inside the folder (a damaged journal deletes nothing else). */
function isCollectableName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name !== '' &&
    !name.startsWith('/') &&
    !name.includes('\\') &&
    !name.split('/').some((part) => part === '..' || part === '.' || part === '')
  );
}

async function readJournal(path: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter(isCollectableName) : [];
  } catch {
    return [];
  }
}

async function writeEntry(
  encoded: EncodedCheckpoint,
  entryPath: string,
  nameOf: (dataFile: string) => string,
): Promise<void> {
  const entry: EncodedFile = await encoded.entry(nameOf);
  await writeFileAtomic(entryPath, entry.chunks);
}

/** What the entry being replaced names, or nothing when there is none or it cannot be read. */
async function dataFilesOfExisting<W extends object>(
  store: CheckpointStore<W>,
  entryPath: string,
): Promise<string[]> {
  if (store.dataFilesOf === undefined) return [];
  if (
    !(await stat(entryPath).then(
      (info) => info.isFile(),
      () => false,
    ))
  ) {
    return [];
  }
  const files = await folderFiles(entryPath);
  try {
    return await store.dataFilesOf(files);
  } catch {
    return []; // a broken old entry protects nothing
  } finally {
    await files.close();
  }
}

/** The chunks, with the `writing` stage signalled once the first one has been handed over. */
async function* signalFirstChunk(
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  onStage: (stage: SaveStage) => void | Promise<void>,
): AsyncGenerator<Uint8Array> {
  let signalled = false;
  for await (const chunk of chunks) {
    yield chunk;
    if (!signalled) {
      signalled = true;
      await onStage('writing');
    }
  }
  if (!signalled) await onStage('writing');
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

async function io<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    throw new CheckpointStoreError({
      code: 'STORE_WRITE_FAILED',
      message: `the save could not put a file in place: ${(cause as Error).message}`,
      file: path,
      cause,
    });
  }
}
