import { createSession } from '@reprokit/onnxruntime';
import type * as ortTypes from 'onnxruntime-web/wasm';
import { CLASSES, IMAGE_SIZE } from './digit-shape.js';
import { labelsOf, type RuntimeModel } from './runtime-result.js';

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
  const runtime = 'onnxruntime-web wasm';
  return {
    runtime,
    async classify(pixels, count) {
      const started = performance.now();
      const feeds = { [inputName]: new ort.Tensor('float32', pixels, [count, IMAGE_SIZE]) };
      const output = (await session.run(feeds))[outputName]!;
      const logits = Float32Array.from(output.data as Float32Array);
      const milliseconds = performance.now() - started;
      output.dispose();
      return { runtime, logits, labels: labelsOf(logits, CLASSES), milliseconds };
    },
    async dispose() {
      await session.release();
    },
  };
}
