import type { Checkpoint, CheckpointTensor } from './checkpoint.js';
import { openForReading, readExactly } from './safetensors-file.js';
import { parseSafetensorsHeader, readHeaderLength } from './safetensors-header.js';

/**
 * Read one safetensors file into a checkpoint whose tensors are views of a single buffer of
 * exactly the file's size. The header is validated before that buffer is allocated.
 *
 * @example
 * const checkpoint = await readSafetensorsFile('model.safetensors');
 */
export async function readSafetensorsFile(path: string): Promise<Checkpoint> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    const prefix = await readExactly(handle, 0, Math.min(8, size), path);
    const headerLength = readHeaderLength(prefix, size, path);
    // One buffer for the whole file: tensors become aligned views and nothing is copied twice.
    const bytes = new Uint8Array(size);
    bytes.set(prefix, 0);
    await readExactly(handle, 8, headerLength, path, undefined, bytes, 8);
    const header = parseSafetensorsHeader(bytes.subarray(0, 8 + headerLength), {
      file: path,
      fileSize: size,
    });
    await readExactly(
      handle,
      header.dataStart,
      header.dataLength,
      path,
      undefined,
      bytes,
      header.dataStart,
    );
    const tensors = new Map<string, CheckpointTensor>();
    for (const [name, info] of header.tensors) {
      const data = bytes.subarray(header.dataStart + info.begin, header.dataStart + info.end);
      tensors.set(name, { dtype: info.dtype, shape: info.shape, data });
    }
    return { tensors, metadata: header.metadata };
  } finally {
    await handle.close();
  }
}
