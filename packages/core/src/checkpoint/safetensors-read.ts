import { openByteSource, type SourceInput } from '../source/open-byte-source.js';
import type { Checkpoint } from './checkpoint.js';
import { decodeSafetensors } from './safetensors-decode.js';
import { openSafetensors } from './safetensors-file.js';

/**
 * Read one safetensors file from bytes, a `Blob`/`File` or a `ByteSource`. From bytes, tensors
 * are views of `bytes` (see `decodeSafetensors`); otherwise the header is read and validated
 * first, then the file is read once into one buffer of exactly its size, which the tensors
 * share as views. In Node, `readSafetensors` of `@reprokit/core/node` also takes a path.
 *
 * @example
 * const checkpoint = await readSafetensors(await fetch(url).then((r) => r.blob()));
 */
export async function readSafetensors(input: SourceInput): Promise<Checkpoint> {
  if (input instanceof Uint8Array) return decodeSafetensors(input);
  const file = await openSafetensors(await openByteSource(input));
  try {
    return await file.readAll();
  } finally {
    await file.close();
  }
}
