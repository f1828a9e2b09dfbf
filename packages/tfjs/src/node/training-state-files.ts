import type { SourceInput } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import type { LayersModel } from '@tensorflow/tfjs';
import {
  type LoadedTrainingState,
  type LoadTrainingStateOptions,
  loadTrainingState,
  type SaveTrainingStateOptions,
  saveTrainingState,
} from '../checkpoint/training-state.js';
import type { TfjsModule } from '../tfjs-module.js';

/**
 * Save what `saveTrainingState` gathers (weights, optimizer state, the seed snapshot) to one
 * safetensors file, atomically.
 *
 * @example
 * await writeTrainingState(tf, model, 'epoch-2.safetensors', { seedSnapshot: scope.snapshot() });
 */
export async function writeTrainingState(
  tf: TfjsModule,
  model: LayersModel,
  path: string,
  options: SaveTrainingStateOptions = {},
): Promise<void> {
  await writeSafetensors(await saveTrainingState(tf, model, options), path);
}

/**
 * Put back what `writeTrainingState` saved (a path, or the file's bytes, Blob or source): the
 * model's weights and its optimizer's state, everything checked before anything changes.
 * Returns the seed snapshot for `scope.restore()`.
 *
 * @example
 * const { seedSnapshot } = await readTrainingState(tf, model, 'epoch-2.safetensors');
 * if (seedSnapshot !== undefined) scope.restore(seedSnapshot);
 */
export async function readTrainingState(
  tf: TfjsModule,
  model: LayersModel,
  input: string | SourceInput,
  options: LoadTrainingStateOptions = {},
): Promise<LoadedTrainingState> {
  return loadTrainingState(tf, model, await readSafetensors(input), options);
}
