import { lstat, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseTfjsModelJson } from './weights-manifest.js';

/**
 * Shard names `writeTfjsArtifacts` writes (`group1-shard1of3.bin`, `group1-shard1of3.0a1b2c3d.bin`)
 * and tensorflowjs_converter writes (`group2-shard4of9.bin`): the only files a save deletes.
 */
const SHARD_NAME = /^group\d+-shard\d+of\d+(\.[0-9a-f]{8})?\.bin$/;

/** The shard files an existing `model.json` lists, with the identity each had when read. */
export type ReplacedShards = ReadonlyMap<string, { readonly dev: number; readonly ino: number }>;

/**
 * The shards the `model.json` about to be replaced lists (plain names in its folder that look
 * like shards), each with its device and inode. Empty when there is no readable `model.json`.
 */
export async function readReplacedShards(modelJsonPath: string): Promise<ReplacedShards> {
  const shards = new Map<string, { dev: number; ino: number }>();
  let names: string[];
  try {
    const parsed = parseTfjsModelJson(
      JSON.parse(await readFile(modelJsonPath, 'utf8')),
      modelJsonPath,
    );
    names = parsed.weightsManifest.flatMap((group) => [...group.paths]);
  } catch {
    return shards; // nothing there, or nothing we can tell apart: delete nothing
  }
  const folder = dirname(modelJsonPath);
  for (const name of names) {
    if (!SHARD_NAME.test(name)) continue;
    try {
      const { dev, ino } = await lstat(join(folder, name));
      shards.set(name, { dev, ino });
    } catch {
      // listed but missing: nothing to delete
    }
  }
  return shards;
}

/**
 * Delete the replaced shards the new `model.json` does not list. A file is deleted only if it
 * is still the very file that was listed (same inode): when saves race, a name can be freed
 * by one save and taken again by another, whose shard must survive.
 */
export async function removeReplacedShards(
  folder: string,
  replaced: ReplacedShards,
  keep: ReadonlySet<string>,
): Promise<void> {
  for (const [name, identity] of replaced) {
    if (keep.has(name)) continue;
    const path = join(folder, name);
    try {
      const now = await lstat(path);
      if (now.dev === identity.dev && now.ino === identity.ino) await unlink(path);
    } catch {
      // removed already (another save replaced the same model.json)
    }
  }
}

/** Delete shards this save wrote, after it failed. */
export async function removeShards(folder: string, names: readonly string[]): Promise<void> {
  for (const name of names) await unlink(join(folder, name)).catch(() => undefined);
}

/** Whether a file (or anything else) is at `path`. */
export async function shardExists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
