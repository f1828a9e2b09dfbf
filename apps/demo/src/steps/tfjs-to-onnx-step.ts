import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { writeFileAtomic } from '@reprokit/core/node';
import { createSession } from '@reprokit/onnxruntime';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { loadLayersModelFromSafetensors } from '@reprokit/tfjs/node';
import { exportToOnnx } from '@reprokit/tfjs-onnx';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { type DigitSet, IMAGE_SIZE } from '../data/mnist-split.js';
import type { ModelKind } from '../models/model-kind.js';
import type { Check } from '../report/check.js';
import type { InferenceRow } from '../report/demo-report.js';
import { percent, scientific, shortHash } from '../report/format-numbers.js';
import { useTfjsBackend } from '../runtime/tfjs-runtime.js';
import type { TrainResult } from '../training/train-job.js';
import { agreement, argmaxRows, maxAbsDifference } from './logit-stats.js';
import { measureMedian } from './measure-median.js';

/** The tolerance step 2 holds ONNX Runtime and tfjs wasm to, against tfjs cpu. */
export const LOGIT_TOLERANCE = 1e-5;

export interface TfjsToOnnxResult {
  readonly check: Check;
  readonly rows: readonly InferenceRow[];
  /** tfjs cpu logits of the test batch: step 3's reference. */
  readonly tfjsLogits: Float32Array;
  /** The exported graph; its external data is the safetensors file beside it. */
  readonly onnxPath: string;
}

/**
 * Step 2 for one trained model: load the safetensors file the training process saved (it
 * must have the trained fingerprint), export the model to ONNX with that same file as its
 * external data, and run tfjs cpu, tfjs wasm and onnxruntime-node on the same held-out batch:
 * accuracy, max |Δ logit| against tfjs cpu (at most 1e-5), label agreement (100%) and the
 * median inference time of each.
 *
 * @example
 * const result = await tfjsToOnnxStep('mlp', 'run/mlp/model.safetensors', trained, test, 15);
 */
export async function tfjsToOnnxStep(
  kind: ModelKind,
  weightsPath: string,
  trained: TrainResult,
  test: DigitSet,
  timingRuns: number,
): Promise<TfjsToOnnxResult> {
  const tf = await useTfjsBackend('cpu');
  const model = await loadLayersModelFromSafetensors(tf, weightsPath);
  const loadedFingerprint = fingerprint(await tfjsCheckpoint(tf).read(model));
  const safetensors = new Uint8Array(await readFile(weightsPath));
  const onnx = await exportToOnnx(model, { safetensors, weightsFile: basename(weightsPath) });
  const onnxPath = join(dirname(weightsPath), 'model.onnx');
  await writeFileAtomic(onnxPath, onnx);
  const session = await createSession(ort, onnx, { checkpoint: safetensors });

  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const feeds = { [inputName]: new ort.Tensor('float32', test.images, [test.count, IMAGE_SIZE]) };
  const runOrt = async () =>
    (await session.run(feeds))[outputName]!.data as unknown as Float32Array;

  const tfjsCpu = await tfjsRuntime(tf, model, test, timingRuns);
  await useTfjsBackend('wasm');
  const tfjsWasm = await tfjsRuntime(tf, model, test, timingRuns);
  await useTfjsBackend('cpu');
  const ortLogits = Float32Array.from(await runOrt());
  const ortMs = await measureMedian(runOrt, timingRuns);
  await session.release();
  model.dispose();

  const reference = tfjsCpu.logits;
  const referenceLabels = argmaxRows(reference, 10);
  const row = (runtime: string, logits: Float32Array, medianMs: number): InferenceRow => ({
    model: kind,
    runtime,
    accuracy: agreement(argmaxRows(logits, 10), test.labels),
    medianMs,
    batch: test.count,
    speedUp: tfjsCpu.medianMs / medianMs,
    maxAbsDiff: maxAbsDifference(reference, logits),
  });
  const rows = [
    row('tfjs cpu', reference, tfjsCpu.medianMs),
    row('tfjs wasm', tfjsWasm.logits, tfjsWasm.medianMs),
    row('onnxruntime-node', ortLogits, ortMs),
  ];
  const ortRow = rows[2]!;
  const wasmRow = rows[1]!;
  const labelAgreement = agreement(argmaxRows(ortLogits, 10), referenceLabels);
  const sameWeights = loadedFingerprint === trained.fingerprint;
  const onnxBytes = onnx.byteLength;
  const weightsBytes = (await stat(weightsPath)).size;
  const passed =
    sameWeights &&
    ortRow.maxAbsDiff <= LOGIT_TOLERANCE &&
    wasmRow.maxAbsDiff <= LOGIT_TOLERANCE &&
    labelAgreement === 1;
  return {
    check: {
      step: 2,
      name: `tfjs -> ONNX Runtime (${kind}, ${test.count} held-out digits)`,
      passed,
      summary:
        `safetensors ${shortHash(loadedFingerprint)} ${sameWeights ? '=' : '≠'} trained; ` +
        `model.onnx ${kb(onnxBytes)} + shared model.safetensors ${kb(weightsBytes)}; ` +
        `accuracy tfjs ${percent(rows[0]!.accuracy)} / ORT ${percent(ortRow.accuracy)}; ` +
        `max |Δ logit| ORT ${scientific(ortRow.maxAbsDiff)}, wasm ${scientific(wasmRow.maxAbsDiff)} (≤ ${scientific(LOGIT_TOLERANCE)}); ` +
        `labels agree ${percent(labelAgreement)}; ORT ${ortRow.speedUp.toFixed(1)}x tfjs cpu`,
      details: {
        model: kind,
        weightsFingerprint: loadedFingerprint,
        trainedFingerprint: trained.fingerprint,
        onnxBytes,
        safetensorsBytes: weightsBytes,
        maxAbsDiffOrt: ortRow.maxAbsDiff,
        maxAbsDiffWasm: wasmRow.maxAbsDiff,
        labelAgreement,
        tolerance: LOGIT_TOLERANCE,
      },
    },
    rows,
    tfjsLogits: reference,
    onnxPath,
  };
}

async function tfjsRuntime(
  tf: Awaited<ReturnType<typeof useTfjsBackend>>,
  model: LayersModel,
  test: DigitSet,
  timingRuns: number,
): Promise<{ logits: Float32Array; medianMs: number }> {
  const input = tf.tensor2d(test.images, [test.count, IMAGE_SIZE]);
  const predict = async () => {
    const output = model.predict(input) as Tensor;
    const data = (await output.data()) as Float32Array;
    output.dispose();
    return data;
  };
  const logits = Float32Array.from(await predict());
  const medianMs = await measureMedian(predict, timingRuns);
  input.dispose();
  return { logits, medianMs };
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${(bytes / 1024).toFixed(1)} kB`;
}
