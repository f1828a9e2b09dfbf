import { createSha256 } from '../hash/create-sha-256.js';
import type { Checkpoint } from './checkpoint.js';
import { compareCodePoints } from './safetensors-encode.js';
import { checkTensor } from './typed-array.js';

/** The domain tag that opens the fingerprinted byte stream; it changes if the encoding does. */
export const FINGERPRINT_VERSION = 'reprokit-fingerprint-v1';

const utf8Encoder = new TextEncoder();

function u64(value: number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

/**
 * A stable identity for a checkpoint's weights: the lowercase hex SHA-256 of this byte stream
 * (u64 = unsigned 64-bit little-endian):
 *
 * 1. the ASCII bytes of `reprokit-fingerprint-v1`, then u64 number of tensors;
 * 2. for each tensor, sorted by name in Unicode code point order (= UTF-8 byte order):
 *    u64 byte length of the UTF-8 name, the name; u64 length of the dtype string, the dtype
 *    in ASCII (`F32`, ...); u64 rank, then each dimension as u64; u64 data byte length, then
 *    the little-endian data bytes.
 *
 * Metadata is excluded, and so is tensor order: the same weights read from a single file, a
 * sharded one or a runtime give the same fingerprint. Values are compared as bits: `-0` and
 * `0`, or two NaN payloads, give different fingerprints. In Node the host's native SHA-256 does
 * the hashing; elsewhere (browsers) a JavaScript one, about 8x slower, gives the same value.
 *
 * @example
 * fingerprint(createCheckpoint()); // '4f2c...' (64 hex digits, same on every machine)
 */
export function fingerprint(checkpoint: Checkpoint): string {
  const hash = createSha256();
  const names = [...checkpoint.tensors.keys()].sort(compareCodePoints);
  hash.update(utf8Encoder.encode(FINGERPRINT_VERSION));
  hash.update(u64(names.length));
  for (const name of names) {
    const tensor = checkpoint.tensors.get(name)!;
    checkTensor(tensor, name);
    const nameBytes = utf8Encoder.encode(name);
    hash.update(u64(nameBytes.length));
    hash.update(nameBytes);
    hash.update(u64(tensor.dtype.length));
    hash.update(utf8Encoder.encode(tensor.dtype));
    hash.update(u64(tensor.shape.length));
    for (const dim of tensor.shape) hash.update(u64(dim));
    hash.update(u64(tensor.data.length));
    hash.update(tensor.data);
  }
  return hash.digestHex();
}
