import type { OpenedInput } from './open-input.js';

/**
 * The bytes reading a remote input transfers: its entry plus every data file the entry names
 * (a sharded checkpoint's shards), so a progress bar has a true total rather than the size of
 * a small index. Each data file is opened for its size (one ranged request of at most 64 kB,
 * made before the bar starts) and closed. A store that cannot list its data files (ONNX
 * external data) counts the entry alone.
 */
export async function remoteByteTotal(input: OpenedInput): Promise<number> {
  let total = input.files.entry.size;
  const names = (await input.store.dataFilesOf?.(input.files)) ?? [];
  for (const name of names) {
    const source = await input.files.open(name);
    try {
      total += source.size;
    } finally {
      await source.close();
    }
  }
  return total;
}
