/**
 * Inference of one small CNN exported with `exportToOnnx`: tfjs `cpu` predict (baseline)
 * against tfjs `wasm` and ONNX Runtime (shared-file mode: the tfjs checkpoint's safetensors
 * bytes as external data). Outputs are checked to agree within 1e-5 before timing.
 * Also times the export itself against reading the checkpoint (tfjsCheckpoint(tf).read).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createCheckpoint, encodeSafetensors } from '@reprokit/core';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { exportToOnnx } from '../src/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 8);

setWasmPaths(
  `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
);
await tf.setBackend('cpu');

const model = tf.sequential({
  layers: [
    tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', inputShape: [32, 32, 3] }),
    tf.layers.batchNormalization(),
    tf.layers.reLU(),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
const input = Float32Array.from({ length: BATCH * 32 * 32 * 3 }, (_, i) => Math.sin(i));

const checkpoint = await tfjsCheckpoint(tf).read(model);
const safetensors = encodeSafetensors(createCheckpoint(checkpoint.tensors));
const onnx = await exportToOnnx(model, { safetensors });
const session = await ort.InferenceSession.create(onnx, {
  externalData: [{ path: 'model.safetensors', data: safetensors }],
});

async function tfjsPredict(): Promise<Float32Array> {
  const x = tf.tensor(input, [BATCH, 32, 32, 3]);
  const y = model.predict(x) as tf.Tensor;
  const data = (await y.data()) as Float32Array;
  x.dispose();
  y.dispose();
  return data;
}

async function ortPredict(): Promise<Float32Array> {
  const out = await session.run({ input: new ort.Tensor('float32', input, [BATCH, 32, 32, 3]) });
  return out[session.outputNames[0]!]!.data as Float32Array;
}

const maxDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const reference = await tfjsPredict();
const diff = maxDiff(reference, await ortPredict());
if (!(diff <= 1e-5)) throw new Error(`ORT differs from tfjs by ${diff}`);

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cpu = await median(tfjsPredict);
await tf.setBackend('wasm');
const wasmDiff = maxDiff(reference, await tfjsPredict());
const wasm = await median(tfjsPredict);
await tf.setBackend('cpu');
const ortTime = await median(ortPredict);
const read = await median(() => tfjsCheckpoint(tf).read(model));
const exportTime = await median(() => exportToOnnx(model, { safetensors }));

console.log(
  `small CNN, batch ${BATCH}, 32x32x3, median of ${RUNS} (ORT vs tfjs max diff ${diff.toExponential(2)}, wasm vs cpu ${wasmDiff.toExponential(2)})`,
);
console.log(`baseline  tfjs cpu predict      ${cpu.toFixed(2)} ms`);
console.log(
  `candidate tfjs wasm predict     ${wasm.toFixed(2)} ms  ratio ${(cpu / wasm).toFixed(1)}x faster`,
);
console.log(
  `candidate ORT (exported model)  ${ortTime.toFixed(2)} ms  ratio ${(cpu / ortTime).toFixed(1)}x faster`,
);
console.log(`baseline  tfjsCheckpoint(tf).read ${read.toFixed(2)} ms`);
console.log(
  `candidate exportToOnnx          ${exportTime.toFixed(2)} ms  ratio ${(exportTime / read).toFixed(2)}x the read`,
);
await session.release();
