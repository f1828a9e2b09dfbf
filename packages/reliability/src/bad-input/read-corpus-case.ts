import { join } from 'node:path';
import { type Checkpoint, readSafetensors } from '@reprokit/core';
import { readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { readTfjsArtifacts } from '@reprokit/tfjs';
import { CORPUS_ENTRY_EXTENSION, type CorpusFormat } from './corpus-case.js';

/**
 * Read one committed corpus case from `folder` (`corpus/<format>`) with the public reader of
 * its format: `readSafetensors` (file or `.index.json`), `readTfjsArtifacts` or
 * `readOnnxCheckpoint` (external data beside the model).
 *
 * @example
 * await readCorpusCase('onnx', 'corpus/onnx', 'truncated').catch((e) => e.code); // 'ONNX_DECODE_FAILED'
 */
export function readCorpusCase(
  format: CorpusFormat,
  folder: string,
  name: string,
): Promise<Checkpoint> {
  const path = join(folder, `${name}${CORPUS_ENTRY_EXTENSION[format]}`);
  switch (format) {
    case 'safetensors':
    case 'safetensors-sharded':
      return readSafetensors(path);
    case 'tfjs':
      return readTfjsArtifacts(path);
    case 'onnx':
      return readOnnxCheckpoint(path);
  }
}
