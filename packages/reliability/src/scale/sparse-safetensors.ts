import { open } from 'node:fs/promises';
import { deterministicFill } from '../fixtures/deterministic-fill.js';

/** One tensor of a sparse test file: its bytes are written only when `written` is true. */
export interface SparseTensor {
  readonly name: string;
  readonly byteLength: number;
  readonly written: boolean;
}

/**
 * Write a safetensors file of U8 tensors without holding it in memory: the header and the
 * `written` tensors (filled by `deterministicFill` with seed = index + 1) are written at their
 * offsets, and the file is extended to its full size with `truncate`, so unwritten tensors are
 * holes (zeros) that take no disk space. A 4 GiB tensor costs a few kilobytes of disk.
 * Resolves to the absolute offset of each tensor's first byte.
 *
 * @example
 * await writeSparseSafetensors(path, [{ name: 'big', byteLength: 2 ** 32, written: false }]);
 */
export async function writeSparseSafetensors(
  path: string,
  tensors: readonly SparseTensor[],
): Promise<Map<string, number>> {
  let offset = 0;
  const entries: string[] = [];
  for (const tensor of tensors) {
    entries.push(
      `${JSON.stringify(tensor.name)}:{"dtype":"U8","shape":[${tensor.byteLength}],"data_offsets":[${offset},${offset + tensor.byteLength}]}`,
    );
    offset += tensor.byteLength;
  }
  let header = `{${entries.join(',')}}`;
  header += ' '.repeat((8 - (header.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(header);
  const dataStart = 8 + headerBytes.length;
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);

  const starts = new Map<string, number>();
  const handle = await open(path, 'w');
  try {
    await handle.write(prefix, 0, 8, 0);
    await handle.write(headerBytes, 0, headerBytes.length, 8);
    let position = dataStart;
    for (const [index, tensor] of tensors.entries()) {
      starts.set(tensor.name, position);
      if (tensor.written) {
        const bytes = deterministicFill(new Uint8Array(tensor.byteLength), index + 1);
        await handle.write(bytes, 0, bytes.length, position);
      }
      position += tensor.byteLength;
    }
    await handle.truncate(position);
  } finally {
    await handle.close();
  }
  return starts;
}
