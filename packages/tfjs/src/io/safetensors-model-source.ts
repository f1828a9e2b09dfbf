import {
  type ByteSource,
  ByteSourceError,
  readSafetensorsHeaderFrom,
  type SafetensorsHeader,
} from '@reprokit/core';
import { TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { parseMetadataJson } from '../checkpoint/parse-metadata-json.js';
import { SafetensorsIOError } from './safetensors-io-error.js';

/**
 * The header of a safetensors file that holds a layers model, and the model's topology from
 * `tfjs.modelTopology`. A file that is not safetensors is `TFJS_IO_CANNOT_OPEN`, one without a
 * topology `TFJS_IO_NO_TOPOLOGY`, both naming the file.
 */
export async function readModelHeader(
  source: ByteSource,
): Promise<{ header: SafetensorsHeader; modelTopology: unknown }> {
  const header = await readHeaderForIO(source);
  return { header, modelTopology: modelTopologyOf(header.metadata, source.name) };
}

/** The header of a safetensors file; a file that is not safetensors is `TFJS_IO_CANNOT_OPEN`. */
export async function readHeaderForIO(source: ByteSource): Promise<SafetensorsHeader> {
  try {
    return await readSafetensorsHeaderFrom(source);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message: `cannot read the safetensors header: ${(error as Error).message}`,
      file: source.name,
      cause: error,
    });
  }
}

/** The layers model's topology in a checkpoint's metadata; without one, `TFJS_IO_NO_TOPOLOGY`. */
export function modelTopologyOf(metadata: ReadonlyMap<string, string>, file: string): unknown {
  const topologyText = metadata.get(TFJS_METADATA_KEYS.modelTopology);
  if (topologyText === undefined) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_NO_TOPOLOGY',
      message: `the file has no "${TFJS_METADATA_KEYS.modelTopology}" in __metadata__ to build a model from; build the model yourself and load the weights with tfjsCheckpoint(tf).write(model, readSafetensors(...))`,
      file,
    });
  }
  return parseMetadataJson(topologyText, TFJS_METADATA_KEYS.modelTopology, file);
}

/** Read `into.byteLength` bytes at `offset`; a file that ends early is `TFJS_IO_TRUNCATED`. */
export async function readTensorBytes(
  source: ByteSource,
  offset: number,
  into: Uint8Array,
  tensor: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await source.read(offset, into.byteLength, {
      into,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    if (ByteSourceError.isInstance(error) && error.code === 'SOURCE_TRUNCATED') {
      throw new SafetensorsIOError({
        code: 'TFJS_IO_TRUNCATED',
        message: `the file ended while this tensor was read: ${error.detail}`,
        file: source.name,
        tensor,
        byteOffset: error.byteOffset ?? offset,
        cause: error,
      });
    }
    throw error;
  }
}
