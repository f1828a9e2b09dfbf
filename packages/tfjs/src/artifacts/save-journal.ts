import { appendFile, lstat, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeadWriter, writerTag } from '@reprokit/core';
import { parseTfjsModelJson } from './weights-manifest.js';

const JOURNAL = /^\.model\.json\.([0-9a-f]{8})\.(\d+\.[0-9a-f]{8})\.reprokit-save$/;

/**
 * The record a running save keeps of the shards it created, so that a later save can delete
 * them if this one is killed before its `model.json` lists them:
 * `.model.json.<token>.<pid>.<host tag>.reprokit-save`, one `<name> <dev> <ino>` line per
 * shard, written before the shard is linked into place. Shards named with the token are found
 * by the token anyway; the converter's plain names are deleted only while they are still the
 * file recorded (if the link lost a race, the name is someone else's file).
 */
export class SaveJournal {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static async start(folder: string, token: string): Promise<SaveJournal> {
    const path = join(folder, `.model.json.${token}.${writerTag()}.reprokit-save`);
    await writeFile(path, '', { flag: 'wx' });
    return new SaveJournal(path);
  }

  /**
   * Record the shard about to be linked as `name`: called with its finished temporary file,
   * whose inode the shard will have, so a kill right after the link leaves nothing unrecorded.
   */
  async record(name: string, temporaryPath: string): Promise<void> {
    const { dev, ino } = await lstat(temporaryPath);
    await appendFile(this.path, `${name} ${dev} ${ino}\n`);
  }

  async end(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

/**
 * Delete what saves killed in this folder left: for every journal whose writer is gone (same
 * host, pid no longer running), the shards it created that the current `model.json` does not
 * list, then the journal. A dead writer can no longer commit, so nothing it created can
 * become referenced later; live writers' journals are left alone.
 */
export async function removeDeadSaves(folder: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  const dead = names.flatMap((name) => {
    const match = JOURNAL.exec(name);
    return match !== null && isDeadWriter(match[2]!) ? [{ name, token: match[1]! }] : [];
  });
  if (dead.length === 0) return;
  const listed = await currentShards(join(folder, 'model.json'));
  if (listed === undefined) return; // cannot tell what is in use: delete nothing
  for (const { name, token } of dead) {
    const tokened = new RegExp(`^group\\d+-shard\\d+of\\d+\\.${token}\\.bin$`);
    for (const entry of names) {
      if (tokened.test(entry) && !listed.has(entry)) {
        await unlink(join(folder, entry)).catch(() => undefined);
      }
    }
    const lines = await readFile(join(folder, name), 'utf8').catch(() => '');
    for (const line of lines.split('\n')) {
      const [shard, dev, ino] = line.split(' ');
      if (shard === undefined || ino === undefined || listed.has(shard) || /[/\\]/.test(shard)) {
        continue;
      }
      const path = join(folder, shard);
      const now = await lstat(path).catch(() => undefined);
      if (now !== undefined && String(now.dev) === dev && String(now.ino) === ino) {
        await unlink(path).catch(() => undefined);
      }
    }
    await unlink(join(folder, name)).catch(() => undefined);
  }
}

async function currentShards(modelJsonPath: string): Promise<Set<string> | undefined> {
  let text: string;
  try {
    text = await readFile(modelJsonPath, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Set() : undefined;
  }
  try {
    const parsed = parseTfjsModelJson(JSON.parse(text), modelJsonPath);
    return new Set(parsed.weightsManifest.flatMap((group) => [...group.paths]));
  } catch {
    return undefined;
  }
}
