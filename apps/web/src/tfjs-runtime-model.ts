import { type Checkpoint, fingerprint } from '@reprokit/core';
import { labelsFromLogits } from '@reprokit/example-choose-a-backend/classification';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import type * as tfTypes from '@tensorflow/tfjs';
import { CLASSES, IMAGE_SIZE } from './digit-shape.js';
import type { RuntimeModel } from './runtime-result.js';

type Tf = typeof tfTypes;
type Topology = Parameters<Tf['models']['modelFromJSON']>[0]['modelTopology'];

/**
 * The example's model built from its topology on one tfjs backend, with the checkpoint written
 * in strictly (`tfjsCheckpoint().write`: a tensor missing, extra or of another shape throws
 * `CheckpointMismatchError`, and then the model is thrown away). tfjs has one active backend
 * at a time, so each call switches to this model's backend first; its weights stay there.
 */
export async function tfjsRuntimeModel(
  tf: Tf,
  backend: 'webgl' | 'wasm',
  topology: Topology,
  checkpoint: Checkpoint,
): Promise<RuntimeModel> {
  await useBackend(tf, backend);
  const model = await tf.models.modelFromJSON({ modelTopology: topology });
  try {
    await tfjsCheckpoint(tf).write(model, checkpoint);
  } catch (error) {
    model.dispose();
    throw error;
  }
  // Read back from the backend's memory (webgl textures, wasm heap), not from the file.
  const weightsFingerprint = fingerprint(await tfjsCheckpoint(tf).read(model));
  const runtime = backend === 'webgl' ? 'tfjs webgl' : 'tfjs wasm';
  return {
    runtime,
    weightsFingerprint,
    async classify(pixels, count) {
      await useBackend(tf, backend);
      const started = performance.now();
      const input = tf.tensor2d(pixels, [count, IMAGE_SIZE]);
      const output = model.predict(input) as tfTypes.Tensor;
      const logits = Float32Array.from((await output.data()) as Float32Array);
      const milliseconds = performance.now() - started;
      input.dispose();
      output.dispose();
      return { runtime, logits, labels: labelsFromLogits(logits, CLASSES), milliseconds };
    },
    async dispose() {
      await useBackend(tf, backend);
      model.dispose();
    },
  };
}

async function useBackend(tf: Tf, backend: string): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend)))
    throw new Error(`the tfjs "${backend}" backend did not start`);
}
