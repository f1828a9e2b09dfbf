import { type CheckpointTensor, createCheckpoint } from '@reprokit/core';
import { writeSafetensors } from '@reprokit/core/node';
import type { LayersModel } from '@tensorflow/tfjs';
import { TFJS_METADATA_KEYS } from '../artifacts/tfjs-metadata-keys.js';
import { checkpointWeights } from '../checkpoint/checkpoint-weight-names.js';
import { checkpointDtype } from '../checkpoint/tfjs-dtype.js';

/**
 * Save a layers model as one safetensors file without going through `model.save`: the same
 * file `model.save(safetensorsIO(path))` writes (structural names, topology, training config
 * and tfjs weight names in `__metadata__`), but each weight is streamed to disk from the
 * backend's own storage instead of being concatenated into one buffer first, so memory grows
 * by little more than the header. Atomic, like every reprokit write. Optimizer state is not
 * included; use `saveTrainingState` for that.
 *
 * @example
 * await saveLayersModelToSafetensors(model, 'model.safetensors');
 * const again = await loadLayersModelFromSafetensors(tf, 'model.safetensors');
 */
export async function saveLayersModelToSafetensors(
  model: LayersModel,
  path: string,
): Promise<void> {
  const tensors: Array<[string, CheckpointTensor]> = [];
  const originals: Record<string, string> = {};
  for (const { name, variable } of checkpointWeights(model)) {
    const value = variable.read();
    // The backend's storage is not modified in place (training swaps in new arrays), so a
    // view is a consistent snapshot for the length of the write.
    const data = (await value.data()) as Float32Array | Int32Array | Uint8Array;
    tensors.push([
      name,
      {
        dtype: checkpointDtype(value.dtype, name),
        shape: [...value.shape],
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      },
    ]);
    originals[name] = variable.originalName;
  }
  const metadata = new Map<string, string>([
    [TFJS_METADATA_KEYS.modelTopology, JSON.stringify(model.toJSON(null, false))],
    [TFJS_METADATA_KEYS.format, 'layers-model'],
    [TFJS_METADATA_KEYS.generatedBy, 'reprokit saveLayersModelToSafetensors'],
    [TFJS_METADATA_KEYS.weightNames, JSON.stringify(originals)],
  ]);
  const trainingConfig = trainingConfigOf(model);
  if (trainingConfig !== undefined) {
    metadata.set(TFJS_METADATA_KEYS.trainingConfig, JSON.stringify(trainingConfig));
  }
  await writeSafetensors(createCheckpoint(tensors, metadata), path);
}

function trainingConfigOf(model: LayersModel): unknown {
  if (model.optimizer === undefined || model.optimizer === null) return undefined;
  const withConfig = model as unknown as { getTrainingConfig?: () => unknown };
  return withConfig.getTrainingConfig?.();
}
