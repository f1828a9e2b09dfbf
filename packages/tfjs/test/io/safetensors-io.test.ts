import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from '@reprokit/core';
import { readSafetensors, writeSafetensors } from '@reprokit/core/node';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TFJS_METADATA_KEYS } from '../../src/artifacts/index.js';
import { tfjsCheckpoint } from '../../src/checkpoint/index.js';
import {
  loadLayersModelFromSafetensors,
  registerSafetensorsRouter,
  safetensorsIO,
  saveLayersModelToSafetensors,
} from '../../src/node/index.js';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reprokit-tfjs-io-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function createModel(): tf.LayersModel {
  const input = tf.input({ shape: [6] });
  const encoder = tf.sequential({
    name: 'encoder',
    layers: [
      tf.layers.dense({ units: 8, inputShape: [6], activation: 'relu' }),
      tf.layers.dropout({ rate: 0.1 }),
    ],
  });
  const hidden = tf.layers.batchNormalization().apply(encoder.apply(input)) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: 3, activation: 'softmax' })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

async function predictBytes(model: tf.LayersModel): Promise<Buffer> {
  const input = tf.tensor2d(
    Array.from({ length: 24 }, (_, i) => Math.sin(i)),
    [4, 6],
  );
  const output = model.predict(input) as tf.Tensor;
  const values = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`safetensorsIO on ${backend}`, () => {
    beforeAll(async () => {
      await tf.setBackend(backend);
      await tf.ready();
      expect(tf.getBackend()).toBe(backend);
    });

    it('saves structural names and topology, and loads back with identical predictions', async () => {
      const model = createModel();
      // Move BatchNorm statistics away from their initial values.
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      await model.fit(
        tf.randomNormal([8, 6], 0, 1, 'float32', 3),
        tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3),
        {
          epochs: 1,
          shuffle: false,
          verbose: 0,
        },
      );
      const path = join(folder, `model-${backend}.safetensors`);
      await model.save(safetensorsIO(path));
      const file = await readSafetensors(path);
      const direct = await tfjsCheckpoint(tf).read(model);
      expect([...file.tensors.keys()].sort()).toEqual([...direct.tensors.keys()].sort());
      expect([...direct.tensors.keys()]).toContain('encoder/dense/kernel');
      expect(fingerprint(file)).toBe(fingerprint(direct));
      expect(JSON.parse(file.metadata.get(TFJS_METADATA_KEYS.modelTopology)!)).toEqual(
        model.toJSON(null, false),
      );
      expect(file.metadata.get(TFJS_METADATA_KEYS.format)).toBe('layers-model');
      expect(file.metadata.get(TFJS_METADATA_KEYS.generatedBy)).toMatch(
        /^TensorFlow\.js tfjs-layers/,
      );

      const loaded = await tf.loadLayersModel(safetensorsIO(path));
      expect(Buffer.compare(await predictBytes(loaded), await predictBytes(model))).toBe(0);
      expect(fingerprint(await tfjsCheckpoint(tf).read(loaded))).toBe(fingerprint(direct));

      const fast = await loadLayersModelFromSafetensors(tf, path);
      expect(Buffer.compare(await predictBytes(fast), await predictBytes(model))).toBe(0);
      expect(fingerprint(await tfjsCheckpoint(tf).read(fast))).toBe(fingerprint(direct));
      // The zero-initializer build leaves the model's config (its initializers) as saved.
      expect(fast.toJSON(null, false)).toEqual(model.toJSON(null, false));

      // The streaming save writes the same tensors and a topology tfjs loads.
      const streamedPath = join(folder, `streamed-${backend}.safetensors`);
      await saveLayersModelToSafetensors(model, streamedPath);
      const streamed = await readSafetensors(streamedPath);
      expect(fingerprint(streamed)).toBe(fingerprint(direct));
      expect(JSON.parse(streamed.metadata.get(TFJS_METADATA_KEYS.trainingConfig)!).loss).toBe(
        'categorical_crossentropy',
      );
      const fromStreamed = await tf.loadLayersModel(safetensorsIO(streamedPath));
      expect(Buffer.compare(await predictBytes(fromStreamed), await predictBytes(model))).toBe(0);
      tf.dispose([model, loaded, fast, fromStreamed] as unknown as tf.Tensor[]);
    });
  });
}

describe('safetensorsIO details', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('saves and restores optimizer weights with includeOptimizer', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await model.fit(tf.ones([4, 3]), tf.zeros([4, 2]), { epochs: 2, verbose: 0 });
    const path = join(folder, 'with-optimizer.safetensors');
    await model.save(safetensorsIO(path), { includeOptimizer: true });
    const file = await readSafetensors(path);
    expect([...file.tensors.keys()].sort()).toEqual([
      'dense/bias',
      'dense/kernel',
      'optimizer/dense/bias/m',
      'optimizer/dense/bias/v',
      'optimizer/dense/kernel/m',
      'optimizer/dense/kernel/v',
      'optimizer/iter',
    ]);
    const loaded = await tf.loadLayersModel(safetensorsIO(path));
    const saved = await model.optimizer.getWeights();
    const restored = await loaded.optimizer.getWeights();
    expect(restored.length).toBe(saved.length);
    for (const [index, entry] of saved.entries()) {
      expect(Array.from(await restored[index]!.tensor.data())).toEqual(
        Array.from(await entry.tensor.data()),
      );
    }
  });

  it('round-trips wrappers and recurrent layers (Orthogonal initializers) through both loaders', async () => {
    const model = tf.sequential();
    model.add(
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 3, returnSequences: true }) as tf.RNN,
        inputShape: [4, 2],
      }),
    );
    model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }));
    model.add(tf.layers.conv1d({ filters: 2, kernelSize: 2 }));
    const path = join(folder, 'recurrent.safetensors');
    await saveLayersModelToSafetensors(model, path);
    const input = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 1);
    const expected = Array.from((model.predict(input) as tf.Tensor).dataSync());
    const direct = await loadLayersModelFromSafetensors(tf, path);
    expect(Array.from((direct.predict(input) as tf.Tensor).dataSync())).toEqual(expected);
    expect(direct.toJSON(null, false)).toEqual(model.toJSON(null, false));
    const viaTfjs = await tf.loadLayersModel(safetensorsIO(path));
    expect(Array.from((viaTfjs.predict(input) as tf.Tensor).dataSync())).toEqual(expected);
    expect([...(await readSafetensors(path)).tensors.keys()]).toContain(
      'bidirectional/forward_lstm/recurrent_kernel',
    );
  });

  it('routes safetensors:// URLs once registered, and registering twice is harmless', async () => {
    registerSafetensorsRouter(tf);
    registerSafetensorsRouter(tf);
    // One router, found through tfjs' registry (a second copy of the package asks the same way).
    expect(tf.io.getLoadHandlers('safetensors://a.safetensors')).toHaveLength(1);
    expect(tf.io.getSaveHandlers('safetensors://a.safetensors')).toHaveLength(1);
    const model = createModel();
    const path = join(folder, 'routed.safetensors');
    await model.save(`safetensors://${path}`);
    const loaded = await tf.loadLayersModel(`safetensors://${path}`);
    expect(Buffer.compare(await predictBytes(loaded), await predictBytes(model))).toBe(0);
  });

  it('gives a typed error for a file without topology, naming the file', async () => {
    const model = createModel();
    const path = join(folder, 'weights-only.safetensors');
    await writeSafetensors(await tfjsCheckpoint(tf).read(model), path);
    await expect(tf.loadLayersModel(safetensorsIO(path))).rejects.toMatchObject({
      code: 'TFJS_IO_NO_TOPOLOGY',
      file: path,
    });
    await expect(loadLayersModelFromSafetensors(tf, path)).rejects.toMatchObject({
      code: 'TFJS_IO_NO_TOPOLOGY',
      file: path,
    });
    await expect(
      tf.loadLayersModel(safetensorsIO(join(folder, 'absent.safetensors'))),
    ).rejects.toMatchObject({
      code: 'TFJS_IO_CANNOT_OPEN',
    });
  });

  it('refuses a file whose tensors do not fit the topology in the direct path', async () => {
    const model = createModel();
    const path = join(folder, 'mismatch.safetensors');
    await model.save(safetensorsIO(path));
    const checkpoint = await readSafetensors(path);
    checkpoint.tensors.delete('dense/bias');
    await writeSafetensors(checkpoint, path);
    await expect(loadLayersModelFromSafetensors(tf, path)).rejects.toMatchObject({
      code: 'CHECKPOINT_MISMATCH',
      message: expect.stringContaining('missing "dense/bias"'),
    });
  });
});
