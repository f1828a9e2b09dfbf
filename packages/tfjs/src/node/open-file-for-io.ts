import type { ByteSource } from '@reprokit/core';
import { fileSource } from '@reprokit/core/node';
import { SafetensorsIOError } from '../io/safetensors-io-error.js';

/** A local file as a source for the IO functions; a missing or unreadable one is `TFJS_IO_CANNOT_OPEN`. */
export async function openFileForIO(path: string): Promise<ByteSource> {
  try {
    return await fileSource(path);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message: `cannot open the safetensors file: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
}
