import type { Checkpoint, CheckpointTensor } from '@reprokit/core';

/**
 * What a reader found at a save's target after the save was cut short:
 * - `old` / `new`: exactly one of the two expected checkpoints (names, dtypes, shapes, bytes);
 * - `mixed`: every tensor is one of the two, but not all from the same one (a torn save);
 * - `corrupt`: something else (a tensor matching neither, missing or extra tensors);
 * - `unreadable`: the reader threw (the error's code is kept).
 */
export type CheckpointState =
  | { readonly kind: 'old' | 'new' }
  | { readonly kind: 'mixed'; readonly fromOld: string[]; readonly fromNew: string[] }
  | { readonly kind: 'corrupt'; readonly detail: string }
  | { readonly kind: 'unreadable'; readonly code: string; readonly message: string };

/**
 * Classify `actual` against the old and new checkpoints. Tensors are compared byte for byte,
 * which covers everything `fingerprint` hashes (names, dtypes, shapes, data) and says which
 * tensors came from which save when the result is torn.
 *
 * @example
 * classifyCheckpoint(await readSafetensors(path), oldCheckpoint, newCheckpoint).kind; // 'old'
 */
export function classifyCheckpoint(
  actual: Checkpoint,
  old: Checkpoint,
  next: Checkpoint,
): CheckpointState {
  const names = [...actual.tensors.keys()].sort();
  const expected = [...old.tensors.keys()].sort();
  if (names.join('\n') !== expected.join('\n')) {
    return { kind: 'corrupt', detail: `tensor names differ: ${names.join(', ')}` };
  }
  const fromOld: string[] = [];
  const fromNew: string[] = [];
  for (const name of names) {
    const tensor = actual.tensors.get(name)!;
    if (sameTensor(tensor, old.tensors.get(name))) fromOld.push(name);
    else if (sameTensor(tensor, next.tensors.get(name))) fromNew.push(name);
    else return { kind: 'corrupt', detail: `tensor ${name} matches neither checkpoint` };
  }
  if (fromNew.length === 0) return { kind: 'old' };
  if (fromOld.length === 0) return { kind: 'new' };
  return { kind: 'mixed', fromOld, fromNew };
}

function sameTensor(a: CheckpointTensor, b: CheckpointTensor | undefined): boolean {
  return (
    b !== undefined &&
    a.dtype === b.dtype &&
    a.shape.join(',') === b.shape.join(',') &&
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(
      Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength),
    )
  );
}
