import { CheckpointStoreError } from './checkpoint-store-error.js';

/**
 * A name an entry gives to another file, checked and normalised: `./a/b.bin` becomes
 * `a/b.bin`. Absolute paths, drive letters, backslashes and `..` segments are refused with
 * `STORE_INVALID_NAME`: a checkpoint cannot make a reader open files outside its folder.
 *
 * @example
 * relativeFileName('./group1-shard1of2.bin', 'model.json'); // 'group1-shard1of2.bin'
 */
export function relativeFileName(name: string, entry: string): string {
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (
    typeof name !== 'string' ||
    parts.length === 0 ||
    name.startsWith('/') ||
    name.includes('\\') ||
    /^[A-Za-z]:/.test(name) ||
    parts.includes('..') ||
    name.includes('\0')
  ) {
    throw new CheckpointStoreError({
      code: 'STORE_INVALID_NAME',
      message: `the file name ${JSON.stringify(name)} leaves the folder of the file that names it; only names inside that folder are read`,
      file: entry,
    });
  }
  return parts.join('/');
}

/** The folder part of a `/`-separated name, with its trailing slash (`''` for none). */
export function folderOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? '' : name.slice(0, slash + 1);
}
