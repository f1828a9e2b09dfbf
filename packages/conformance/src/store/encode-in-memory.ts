import type { Checkpoint, CheckpointStore, EncodedFile } from '@reprokit/core';

/** Concatenate a file's chunks. */
export async function collectChunks(file: EncodedFile): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of file.chunks) parts.push(chunk);
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The files of a save, in memory, by name: what `writeCheckpoint` would put in a folder.
 *
 * @example
 * const files = await encodeInMemory(safetensorsStore(), checkpoint, 'model.safetensors', {});
 */
export async function encodeInMemory<W extends object>(
  store: CheckpointStore<W>,
  checkpoint: Checkpoint,
  entryName: string,
  options: W,
): Promise<Map<string, Uint8Array>> {
  if (store.encode === undefined) throw new Error(`the ${store.format} store cannot write`);
  const encoded = await store.encode(checkpoint, { ...options, entryName });
  const files = new Map<string, Uint8Array>();
  for (const file of encoded.dataFiles) files.set(file.name, await collectChunks(file));
  const entry = await encoded.entry((name) => name);
  files.set(entryName, await collectChunks(entry));
  return files;
}
