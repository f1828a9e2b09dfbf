import { readFile } from 'node:fs/promises';
import type * as ortTypes from 'onnxruntime-node';
import { type DigitClassifier, labelsFromLogits } from './classification.js';
import { disposedError } from './classifier-error.js';
import { toPixels } from './digit-input.js';
import { CLASSES, IMAGE_SIZE, MODEL_FILES } from './model-files.js';

/**
 * The ONNX Runtime backend: `model.onnx` holds only the graph; its initializers are external
 * data pointing into the shipped `model.safetensors`, whose bytes are handed to ORT as they
 * are (`createSession` with the file as the checkpoint: no copy, no conversion).
 *
 * @example
 * const classifier = await onnxClassifier(await import('onnxruntime-node'));
 */
export async function onnxClassifier(ort: typeof ortTypes): Promise<DigitClassifier> {
  const { createSession } = await import('@reprokit/onnxruntime');
  const [graph, weights] = await Promise.all([
    readFile(MODEL_FILES.onnxGraph),
    readFile(MODEL_FILES.weights),
  ]);
  const session = await createSession(ort, new Uint8Array(graph), {
    checkpoint: new Uint8Array(weights),
  });
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  let disposed = false;
  return {
    backend: 'onnxruntime',
    async classify(images) {
      const { pixels, count } = toPixels(images);
      if (disposed) throw disposedError();
      const feeds = { [inputName]: new ort.Tensor('float32', pixels, [count, IMAGE_SIZE]) };
      const output = (await session.run(feeds))[outputName]!;
      const logits = Float32Array.from(output.data as Float32Array);
      output.dispose();
      return { count, logits, labels: labelsFromLogits(logits, CLASSES) };
    },
    async dispose() {
      if (!disposed) await session.release();
      disposed = true;
    },
  };
}
