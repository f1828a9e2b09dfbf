import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import { createSession } from '@reprokit/onnxruntime';
import { readOnnxCheckpoint } from '@reprokit/onnxruntime/node';
import { tfjsCheckpoint } from '@reprokit/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToOnnx } from '../src/index.js';
import { ort, seededValues, setSeededWeights, tf } from './parity/parity-harness.js';

/** A small functional model touching every weight layout the exporter changes. */
function buildModel(): tf.LayersModel {
  const image = tf.input({ shape: [6, 6, 2], name: 'image' });
  const sequence = tf.input({ shape: [4, 3], name: 'sequence' });
  let x = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(image);
  x = tf.layers.batchNormalization().apply(x);
  x = tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }).apply(x);
  x = tf.layers.flatten().apply(x);
  const s = tf.layers.lstm({ units: 4 }).apply(sequence);
  const merged = tf.layers.concatenate().apply([x as tf.SymbolicTensor, s as tf.SymbolicTensor]);
  const hidden = tf.layers.dense({ units: 5, activation: 'relu' }).apply(merged);
  const output = tf.layers.dense({ units: 2, activation: 'softmax' }).apply(hidden);
  return tf.model({ inputs: [image, sequence], outputs: output as tf.SymbolicTensor });
}

/** Wrappers and a nested model: weights named `encoder/...`, `bidirectional/forward_gru/...`. */
function buildWrappedModel(): tf.LayersModel {
  const encoder = tf.sequential({
    name: 'encoder',
    layers: [
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }), inputShape: [4, 2] }),
    ],
  });
  const sequence = tf.input({ shape: [4, 2], name: 'sequence' });
  const encoded = encoder.apply(sequence) as tf.SymbolicTensor;
  const bi = tf.layers
    .bidirectional({ layer: tf.layers.gru({ units: 2 }) as tf.RNN })
    .apply(encoded) as tf.SymbolicTensor;
  const out = tf.layers.layerNormalization().apply(bi) as tf.SymbolicTensor;
  return tf.model({ inputs: sequence, outputs: out });
}

let folder: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-onnx-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('round trip: tfjs -> safetensors -> ORT (external data) -> readOnnxCheckpoint -> tfjs', () => {
  it('gives predictions bitwise equal to the first model, and ORT agrees within 1e-5', async () => {
    const first = buildModel();
    setSeededWeights(first, 11);
    const adapter = tfjsCheckpoint(tf);
    const weightsPath = join(folder, 'model.safetensors');
    await writeSafetensors(await adapter.read(first), weightsPath);
    const weightsBytes = await readFile(weightsPath);

    const onnxPath = join(folder, 'model.onnx');
    const onnx = await exportToOnnx(first, {
      weightsFile: 'model.safetensors',
      safetensors: weightsBytes,
    });
    await writeFile(onnxPath, onnx);

    const image = seededValues(2 * 6 * 6 * 2, 5);
    const sequence = seededValues(2 * 4 * 3, 6);
    const feeds = {
      image: new ort.Tensor('float32', image, [2, 6, 6, 2]),
      sequence: new ort.Tensor('float32', sequence, [2, 4, 3]),
    };
    // ORT reads the safetensors file next to the model as its external data, as it is.
    const fromFile = await ort.InferenceSession.create(onnxPath);
    const ortOut = (await fromFile.run(feeds))[fromFile.outputNames[0]!]!.data as Float32Array;
    await fromFile.release();
    // The same through the onnxruntime adapter, weights handed over in memory.
    const viaAdapter = await createSession(ort, onnx, { checkpoint: weightsBytes });
    const adapterOut = (await viaAdapter.run(feeds))[viaAdapter.outputNames[0]!]!.data;
    await viaAdapter.release();
    expect(Array.from(adapterOut as Float32Array)).toEqual(Array.from(ortOut));

    // The ONNX model's initializers are the tfjs checkpoint, names and bytes.
    const fromOnnx = await readOnnxCheckpoint(onnxPath);
    expect(fingerprint(fromOnnx)).toBe(fingerprint(await readSafetensors(weightsPath)));

    const second = buildModel();
    await adapter.write(second, fromOnnx);
    const inputs = [tf.tensor(image, [2, 6, 6, 2]), tf.tensor(sequence, [2, 4, 3])];
    const a = await (first.predict(inputs) as tf.Tensor).data();
    const b = await (second.predict(inputs) as tf.Tensor).data();
    expect(Buffer.from(new Float32Array(b).buffer)).toEqual(
      Buffer.from(new Float32Array(a).buffer),
    );
    let diff = 0;
    a.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - ortOut[i]!));
    });
    expect(diff).toBeLessThanOrEqual(1e-5);
    expect(a.length).toBe(4);
  });
});

describe('round trip with wrappers and a nested model', () => {
  it('readOnnxCheckpoint gives the tfjs checkpoint back and a fresh model predicts bitwise equal', async () => {
    const first = buildWrappedModel();
    setSeededWeights(first, 17);
    const adapter = tfjsCheckpoint(tf);
    const original = await adapter.read(first);
    expect([...original.tensors.keys()]).toContain('bidirectional/forward_gru/kernel');
    expect([...original.tensors.keys()]).toContain('encoder/time_distributed/kernel');
    const weightsPath = join(folder, 'wrapped.safetensors');
    await writeSafetensors(original, weightsPath);
    const onnxPath = join(folder, 'wrapped.onnx');
    const onnx = await exportToOnnx(first, {
      weightsFile: 'wrapped.safetensors',
      safetensors: await readFile(weightsPath),
    });
    await writeFile(onnxPath, onnx);
    const input = seededValues(3 * 4 * 2, 8);
    const session = await ort.InferenceSession.create(onnxPath);
    const ortOut = (await session.run({ sequence: new ort.Tensor('float32', input, [3, 4, 2]) }))[
      session.outputNames[0]!
    ]!.data as Float32Array;
    await session.release();
    const fromOnnx = await readOnnxCheckpoint(onnxPath);
    expect(fingerprint(fromOnnx)).toBe(fingerprint(original));
    const second = buildWrappedModel();
    await adapter.write(second, fromOnnx);
    const x = tf.tensor(input, [3, 4, 2]);
    const a = await (first.predict(x) as tf.Tensor).data();
    const b = await (second.predict(x) as tf.Tensor).data();
    expect(Buffer.from(new Float32Array(b).buffer)).toEqual(
      Buffer.from(new Float32Array(a).buffer),
    );
    expect(a.length).toBe(12);
    a.forEach((v, i) => {
      expect(Math.abs(v - ortOut[i]!)).toBeLessThanOrEqual(1e-5);
    });
  });
});
