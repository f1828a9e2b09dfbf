import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Checkpoint } from './checkpoint.js';
import { encodeSafetensors, planSafetensors } from './safetensors-encode.js';

/**
 * Write a checkpoint as safetensors. Without a path, resolves to the file's bytes. With a
 * path, writes atomically (temp file in the same folder, fsync, rename: see
 * `writeFileAtomic`), streaming the header and then each tensor's bytes so no second copy
 * of the weights is made. Output is deterministic (see `encodeSafetensors`).
 *
 * @example
 * await writeSafetensors(checkpoint, 'model.safetensors');
 * const bytes = await writeSafetensors(checkpoint);
 */
export function writeSafetensors(checkpoint: Checkpoint): Promise<Uint8Array>;
export function writeSafetensors(checkpoint: Checkpoint, path: string): Promise<void>;
export function writeSafetensors(
  checkpoint: Checkpoint,
  path?: string,
): Promise<Uint8Array | undefined>;
export async function writeSafetensors(checkpoint: Checkpoint, path?: string): Promise<unknown> {
  if (path === undefined) return encodeSafetensors(checkpoint);
  // Plan (and validate) before the temp file exists, so bad input never touches the disk.
  const layout = planSafetensors(checkpoint);
  const chunks = [layout.prefix, ...layout.tensors.map((planned) => planned.tensor.data)];
  await writeFileAtomic(
    path,
    chunks.filter((chunk) => chunk.length > 0),
  );
}
