import { fingerprint } from '@reprokit/core';
import { labelsFromLogits } from '@reprokit/example-choose-a-backend/classification';
import { createSession, readOnnxCheckpoint } from '@reprokit/onnxruntime';
import { prepareSessionModel } from '@reprokit/onnxruntime/internal';
import type * as ortTypes from 'onnxruntime-web/wasm';
import { CLASSES, IMAGE_SIZE } from './digit-shape.js';
import type { RuntimeModel } from './runtime-result.js';

/**
 * An onnxruntime-web (wasm) session of the example's graph, whose initializers are external
 * data in `model.safetensors`: `createSession` hands ORT the safetensors bytes as they are.
 */
export async function onnxRuntimeModel(
  ort: typeof ortTypes,
  graph: Uint8Array,
  weights: Uint8Array,
): Promise<RuntimeModel> {
  const session = await createSession(ort, graph, { checkpoint: weights });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  // ORT has no API to read initializers back, so this is what it was given: the model
  // `createSession` prepares (its `./internal` step), initializers resolved through the
  // in-memory external data.
  let weightsFingerprint: string;
  try {
    const given = prepareSessionModel(graph, { checkpoint: weights });
    weightsFingerprint = fingerprint(await readOnnxCheckpoint(given));
  } catch (error) {
    await session.release();
    throw error;
  }
  const runtime = 'onnxruntime-web wasm';
  return {
    runtime,
    weightsFingerprint,
    async classify(pixels, count) {
      const started = performance.now();
      const feeds = { [inputName]: new ort.Tensor('float32', pixels, [count, IMAGE_SIZE]) };
      const output = (await session.run(feeds))[outputName]!;
      const logits = Float32Array.from(output.data as Float32Array);
      const milliseconds = performance.now() - started;
      output.dispose();
      return { runtime, logits, labels: labelsFromLogits(logits, CLASSES), milliseconds };
    },
    async dispose() {
      await session.release();
    },
  };
}
