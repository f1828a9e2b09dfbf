import type { CheckpointAdapter } from '@reprokit/core';
import type { OnnxModel } from '../model/onnx-model.js';
import { readOnnxCheckpoint } from './read-onnx-checkpoint.js';
import { writeOnnxWithReport } from './write-onnx.js';

export interface OnnxCheckpointOptions {
  /**
   * Where `write` puts the weights: embedded `raw_data` (default) or one safetensors external
   * data file of this name, held in `model.externalFiles`.
   */
  externalData?: string;
}

/**
 * The `CheckpointAdapter` for in-memory ONNX models. `read` returns every initializer
 * (subgraphs included); `write` checks the checkpoint first (strict by default, every
 * problem listed in one `CheckpointMismatchError`), then swaps the model's `proto` and
 * `externalFiles` for ones carrying the new weights. A refused write leaves the model as it was.
 *
 * @example
 * const adapter = onnxCheckpoint();
 * const model = await loadOnnxModel('model.onnx');
 * await adapter.write(model, await readSafetensors('finetuned.safetensors'));
 */
export function onnxCheckpoint(options: OnnxCheckpointOptions = {}): CheckpointAdapter<OnnxModel> {
  return {
    name: 'onnxruntime',
    read: (model) => readOnnxCheckpoint(model),
    async write(model, checkpoint, writeOptions = {}) {
      const result = await writeOnnxWithReport(model, checkpoint, {
        ...writeOptions,
        ...(options.externalData === undefined ? {} : { externalData: options.externalData }),
      });
      model.proto = result.model.proto;
      model.externalFiles = result.model.externalFiles;
      return result.report;
    },
  };
}
