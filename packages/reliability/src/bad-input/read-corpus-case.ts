import { join } from 'node:path';
import {
  type AnyCheckpointStore,
  type Checkpoint,
  safetensorsStore,
  shardedSafetensorsStore,
} from '@reprokit/core';
import { folderFiles } from '@reprokit/core/node';
import { onnxStore } from '@reprokit/onnxruntime';
import { tfjsArtifactsStore } from '@reprokit/tfjs';
import { CORPUS_ENTRY_EXTENSION, type CorpusFormat } from './corpus-case.js';

/** The store that reads each corpus format. */
export const CORPUS_STORES: Record<CorpusFormat, () => AnyCheckpointStore> = {
  safetensors: safetensorsStore,
  'safetensors-sharded': shardedSafetensorsStore,
  tfjs: tfjsArtifactsStore,
  onnx: onnxStore,
};

/**
 * Read one committed corpus case from `folder` (`corpus/<format>`) with its format's store,
 * without format detection (the cases are malformed on purpose).
 *
 * @example
 * await readCorpusCase('onnx', 'corpus/onnx', 'truncated').catch((e) => e.code); // 'ONNX_DECODE_FAILED'
 */
export async function readCorpusCase(
  format: CorpusFormat,
  folder: string,
  name: string,
): Promise<Checkpoint> {
  const files = await folderFiles(join(folder, `${name}${CORPUS_ENTRY_EXTENSION[format]}`));
  try {
    return await CORPUS_STORES[format]().read(files);
  } finally {
    await files.close();
  }
}
