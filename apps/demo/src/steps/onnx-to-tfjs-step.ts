import { fingerprint } from '@reprokit/core';
import { readOnnxCheckpoint } from '@reprokit/onnxruntime/node';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { type DigitSet, IMAGE_SIZE } from '../data/mnist-split.js';
import { buildModel } from '../models/build-model.js';
import type { ModelKind } from '../models/model-kind.js';
import type { Check } from '../report/check.js';
import { shortHash } from '../report/format-numbers.js';
import { useTfjsBackend } from '../runtime/tfjs-runtime.js';
import type { TrainResult } from '../training/train-job.js';
import { bitwiseEqual, maxAbsDifference } from './logit-stats.js';

/**
 * Step 3 for one model: read the weights back from the ONNX side (`readOnnxCheckpoint` on the
 * exported graph, which follows its external data into the safetensors file), write them into
 * a freshly built tfjs model (random initial weights, all replaced), and require its tfjs cpu
 * logits to be bitwise equal to step 2's.
 *
 * @example
 * const check = await onnxToTfjsStep('cnn', 'run/cnn/model.onnx', trained, test, step2.tfjsLogits);
 */
export async function onnxToTfjsStep(
  kind: ModelKind,
  onnxPath: string,
  trained: TrainResult,
  test: DigitSet,
  reference: Float32Array,
): Promise<Check> {
  const tf = await useTfjsBackend('cpu');
  const checkpoint = await readOnnxCheckpoint(onnxPath);
  const fresh = buildModel(tf, kind);
  const report = await tfjsCheckpoint(tf).write(fresh.logits, checkpoint);
  const logits = tf.tidy(() => {
    const output = fresh.logits.predict(
      tf.tensor2d(test.images, [test.count, IMAGE_SIZE]),
    ) as Tensor;
    return Float32Array.from(output.dataSync() as Float32Array);
  });
  fresh.training.dispose();
  const onnxFingerprint = fingerprint(checkpoint);
  const sameWeights = onnxFingerprint === trained.fingerprint;
  const bitwise = bitwiseEqual(logits, reference);
  return {
    step: 3,
    name: `ONNX Runtime -> tfjs (${kind})`,
    passed: sameWeights && bitwise,
    summary:
      `${checkpoint.tensors.size} initializers read from model.onnx -> ${shortHash(onnxFingerprint)} ` +
      `${sameWeights ? '=' : '≠'} trained; loaded into a fresh tfjs model (${report.loaded.length} tensors); ` +
      `${test.count * 10} logits ${bitwise ? 'bitwise equal to' : 'DIFFER from'} step 2's tfjs` +
      (bitwise ? '' : ` (max |Δ| ${maxAbsDifference(logits, reference)})`),
    details: {
      model: kind,
      onnxFingerprint,
      trainedFingerprint: trained.fingerprint,
      tensors: checkpoint.tensors.size,
      bitwiseEqual: bitwise,
    },
  };
}
