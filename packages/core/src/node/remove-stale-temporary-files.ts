import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTemporaryFileName } from './temporary-file-name.js';
import { isDeadWriter } from './writer-tag.js';

/**
 * Delete the temporary files that killed `writeFileAtomic` calls left in `folder`: those
 * written on this host by a process that no longer exists. Files of live processes (a
 * concurrent save, or this process's own writes in flight) and of other hosts are kept, as is
 * anything not named by `temporaryFileName`. Best effort: failures are ignored (another save
 * may be removing the same files). Resolves to the names removed.
 *
 * @example
 * await removeStaleTemporaryFiles('out'); // ['.model.safetensors.4242.1a2b3c4d.9f8e7d6c.reprokit-tmp']
 */
export async function removeStaleTemporaryFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owner = parseTemporaryFileName(name);
    if (owner === undefined || !isDeadWriter(owner.writer)) continue;
    try {
      await unlink(join(folder, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
