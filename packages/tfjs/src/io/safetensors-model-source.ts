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
  let header: SafetensorsHeader;
  try {
    header = await readSafetensorsHeaderFrom(source);
  } catch (error) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_CANNOT_OPEN',
      message: `cannot read the safetensors header: ${(error as Error).message}`,
      file: source.name,
      cause: error,
    });
  }
  const topologyText = header.metadata.get(TFJS_METADATA_KEYS.modelTopology);
  if (topologyText === undefined) {
    throw new SafetensorsIOError({
      code: 'TFJS_IO_NO_TOPOLOGY',
      message: `the file has no "${TFJS_METADATA_KEYS.modelTopology}" in __metadata__ to build a model from; build the model yourself and load the weights with tfjsCheckpoint(tf).write(model, readSafetensors(...))`,
      file: source.name,
    });
  }
  const modelTopology = parseMetadataJson(
    topologyText,
    TFJS_METADATA_KEYS.modelTopology,
    source.name,
  );
  return { header, modelTopology };
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
